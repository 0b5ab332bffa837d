/**
 * The levels of an XNAT archive, named one way everywhere: object kinds, node ids, owner
 * coordinates and XNAT paths all derive from this table. Adding a level means adding a row here;
 * every `switch` on a level ends in `unreachable`, so the compiler then lists each place that
 * must learn the new level (docs/architecture.md, "Adding a level").
 */

/** Levels that hold resources. */
export const OWNER_LEVELS = ['project', 'subject', 'experiment', 'scan', 'assessor'] as const;
export type OwnerLevel = (typeof OWNER_LEVELS)[number];
export type Level = OwnerLevel | 'resource' | 'file';

/**
 * For each level: the tag that opens its node id, its GraphQL object type, and for owners the
 * coordinates that address it in XNAT (accession IDs from the project down), in node-id order.
 */
export const LEVELS = {
  project: { tag: 'P', typename: 'Project', coordinates: ['project'] },
  subject: { tag: 'S', typename: 'Subject', coordinates: ['project', 'subject'] },
  experiment: { tag: 'E', typename: 'Experiment', coordinates: ['project', 'subject', 'experiment'] },
  scan: { tag: 'C', typename: 'Scan', coordinates: ['project', 'subject', 'experiment', 'scan'] },
  /** `experiment` is the assessed session: XNAT addresses an assessor under it. */
  assessor: { tag: 'A', typename: 'Assessor', coordinates: ['project', 'subject', 'experiment', 'assessor'] },
  resource: { tag: 'R', typename: 'Resource' },
  file: { tag: 'F', typename: 'File' },
} as const satisfies Record<OwnerLevel, LevelRow & { coordinates: readonly string[] }> & Record<Level, LevelRow>;

interface LevelRow {
  tag: string;
  typename: string;
}

/** The coordinates of an object of an owner level: one string per coordinate name. */
export type CoordinatesOf<L extends OwnerLevel> = { [C in (typeof LEVELS)[L]['coordinates'][number]]: string };

export function isOwnerLevel(level: Level): level is OwnerLevel {
  return (OWNER_LEVELS as readonly string[]).includes(level);
}

/** Ends an exhaustive `switch`: a level (or any union member) not handled is a compile error. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case ${JSON.stringify(value)}`);
}
