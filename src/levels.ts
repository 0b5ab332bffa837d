/**
 * The levels of an XNAT archive, named one way everywhere: object kinds, node ids, owner
 * coordinates and XNAT paths all derive from this table. Adding a level means adding a row here;
 * every `switch` on a level ends in `unreachable`, so the compiler then lists each place that
 * must learn the new level (docs/architecture.md, "Adding a level").
 */

/** Levels that hold resources. */
export const OWNER_LEVELS = ['project', 'subject', 'experiment', 'scan', 'assessor', 'reconstruction'] as const;
export type OwnerLevel = (typeof OWNER_LEVELS)[number];
/** Owner levels whose objects belong to one image session and are addressed under it. */
export const SESSION_CHILD_LEVELS = ['scan', 'assessor', 'reconstruction'] as const;
export type SessionChildLevel = (typeof SESSION_CHILD_LEVELS)[number];
export type Level = OwnerLevel | 'resource' | 'file';

interface LevelRow {
  /** Opens the level's node ids. */
  tag: string;
  /** Its GraphQL object type. */
  typename: string;
}

interface OwnerRow extends LevelRow {
  /** The accession IDs (and, last, its own ID) that address it in XNAT, in node-id order. */
  coordinates: readonly string[];
}

interface SessionChildRow extends OwnerRow {
  /** The path segment its objects sit under in their session's URL (`/data/experiments/E/scans/2`). */
  collection: string;
  /** Whether XNAT URL-decodes its ID in a URL (XNATTemplate's getUrlEncodedParameter) or takes it as sent. */
  decodesId: boolean;
  /** What the ID is called in messages. */
  idName: string;
  /** The `category` of its resource rows in XNAT's resources listings (XNATTemplate.loadCatalogs). */
  resourceCategory: string;
  /**
   * How one request lists the resources of many of its objects: `under-sessions` asks the sessions
   * (`/data/experiments/E1,E2/scans/ALL/resources`, `cat_id` the object's ID within its session),
   * `by-id` names the objects (`/data/experiments/E1/assessors/A1,A2/resources`, `cat_id` the object).
   */
  resourceListing: 'under-sessions' | 'by-id';
  /**
   * For `under-sessions` levels, the XML path of the child's list of resources, which the image
   * session listing joins (`<path>/xnat_abstractresource_id`, one row per resource) to tell the
   * session of a resource row when its `cat_id` is ambiguous; null for `by-id` levels.
   */
  resourceList: string | null;
}

/**
 * For each level: the tag that opens its node id, its GraphQL object type, for owners the
 * coordinates that address it in XNAT, and for session children how XNAT addresses and lists them.
 */
export const LEVELS = {
  project: { tag: 'P', typename: 'Project', coordinates: ['project'] },
  subject: { tag: 'S', typename: 'Subject', coordinates: ['project', 'subject'] },
  experiment: { tag: 'E', typename: 'Experiment', coordinates: ['project', 'subject', 'experiment'] },
  scan: {
    tag: 'C',
    typename: 'Scan',
    coordinates: ['project', 'subject', 'experiment', 'scan'],
    collection: 'scans',
    decodesId: true,
    idName: 'scan ID',
    resourceCategory: 'scans',
    resourceListing: 'under-sessions',
    resourceList: 'xnat:imageScanData/file',
  },
  /** `experiment` is the assessed session: XNAT addresses an assessor under it. */
  assessor: {
    tag: 'A',
    typename: 'Assessor',
    coordinates: ['project', 'subject', 'experiment', 'assessor'],
    collection: 'assessors',
    decodesId: false,
    idName: 'assessor',
    resourceCategory: 'assessors',
    resourceListing: 'by-id',
    resourceList: null,
  },
  /**
   * `experiment` is the reconstructed session. XNAT URL-decodes RECON_ID for resources and files
   * (XNATTemplate) but not for the reconstruction itself (ReconResource), so an ID that would
   * need escaping is refused rather than sent two ways.
   */
  reconstruction: {
    tag: 'N',
    typename: 'Reconstruction',
    coordinates: ['project', 'subject', 'experiment', 'reconstruction'],
    collection: 'reconstructions',
    decodesId: false,
    idName: 'reconstruction ID',
    resourceCategory: 'reconstructions',
    resourceListing: 'under-sessions',
    resourceList: 'xnat:reconstructedImageData/out/file',
  },
  resource: { tag: 'R', typename: 'Resource' },
  file: { tag: 'F', typename: 'File' },
} as const satisfies Record<SessionChildLevel, SessionChildRow> & Record<OwnerLevel, OwnerRow> & Record<Level, LevelRow>;

/** The `category` XNAT gives a session's own resource rows, beside those of its children. */
export const SESSION_RESOURCE_CATEGORY = 'resources';

/** The coordinates of an object of an owner level: one string per coordinate name. */
export type CoordinatesOf<L extends OwnerLevel> = { [C in (typeof LEVELS)[L]['coordinates'][number]]: string };

export function isOwnerLevel(level: Level): level is OwnerLevel {
  return (OWNER_LEVELS as readonly string[]).includes(level);
}

export function isSessionChildLevel(level: Level): level is SessionChildLevel {
  return (SESSION_CHILD_LEVELS as readonly string[]).includes(level);
}

/** Whether tagged coordinates are a session child's. */
export function isSessionChildRef(ref: { kind: Level }): ref is SessionChildRef {
  return isSessionChildLevel(ref.kind);
}

/** A session child's own ID among its coordinates (the coordinate named after its level). */
export function childIdOf(ref: SessionChildRef): string {
  return (ref as unknown as Record<string, string>)[ref.kind]!;
}

/** The coordinates of a session child, tagged with its level. */
export type SessionChildRef = { [L in SessionChildLevel]: { kind: L } & CoordinatesOf<L> }[SessionChildLevel];

/** Ends an exhaustive `switch`: a level (or any union member) not handled is a compile error. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case ${JSON.stringify(value)}`);
}
