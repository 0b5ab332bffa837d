import { z } from 'zod';
import { badUserInput, gatewayError } from '../errors.js';
import { checkFilePath, checkName } from '../xnat/paths.js';
import { type CoordinatesOf, isOwnerLevel, LEVELS, type Level, OWNER_LEVELS, type OwnerLevel } from '../levels.js';
import type { FileRef, OwnerRef, ResourceRef } from '../xnat/records.js';

/**
 * Node ids carry the XNAT coordinates of an object (accession IDs from the project down, then
 * resource label and file path), so any id can be turned back into an XNAT path without a
 * lookup table: base64url of a JSON array whose first element is the level's tag (src/levels.ts).
 *   an owner  [tag, ...its coordinates]     e.g. Scan ["C", project, subjectId, experimentId, scanId]
 *   Resource  ["R", <owner array>, label]
 *   File      ["F", <resource array>, path]
 */
export type NodeRef =
  | { [L in OwnerLevel]: { level: L; ref: CoordinatesOf<L> } }[OwnerLevel]
  | { level: 'resource'; ref: ResourceRef }
  | { level: 'file'; ref: FileRef };

type Tuple = (string | Tuple)[];

function ownerTuple(owner: OwnerRef): Tuple {
  const coordinates = owner as unknown as Record<string, string>;
  return [LEVELS[owner.kind].tag, ...LEVELS[owner.kind].coordinates.map((c) => coordinates[c]!)];
}

function resourceTuple(ref: ResourceRef): Tuple {
  return [LEVELS.resource.tag, ownerTuple(ref.owner), ref.label];
}

function tupleOf(node: NodeRef): Tuple {
  switch (node.level) {
    case 'resource':
      return resourceTuple(node.ref);
    case 'file':
      return [LEVELS.file.tag, resourceTuple(node.ref.resource), node.ref.path];
    default:
      return ownerTuple({ kind: node.level, ...node.ref } as OwnerRef);
  }
}

export function encodeNodeId(node: NodeRef): string {
  return Buffer.from(JSON.stringify(tupleOf(node)), 'utf8').toString('base64url');
}

const name = (what: string) =>
  z.string().refine((v) => {
    try {
      checkName(v);
      return true;
    } catch {
      return false;
    }
  }, `invalid ${what}`);

/** An owner level's id: its tag, then one valid name per coordinate. */
function ownerLevelSchema(level: OwnerLevel) {
  const { tag, coordinates } = LEVELS[level];
  return z
    .tuple([z.literal(tag), ...coordinates.map((c) => name(c))] as unknown as [z.ZodLiteral<string>, ...z.ZodString[]])
    .transform((t) => Object.fromEntries([['kind', level], ...coordinates.map((c, i) => [c, t[i + 1]])]) as OwnerRef);
}
const ownerSchema = z.union(OWNER_LEVELS.map(ownerLevelSchema) as unknown as [z.ZodType<OwnerRef>, z.ZodType<OwnerRef>]);
const resourceSchema = z
  .tuple([z.literal(LEVELS.resource.tag), ownerSchema, name('resource label')])
  .transform((t): ResourceRef => ({ owner: t[1], label: t[2] }));
const pathSchema = z.string().refine((v) => {
  try {
    checkFilePath(v);
    return true;
  } catch {
    return false;
  }
}, 'invalid file path');
const fileSchema = z
  .tuple([z.literal(LEVELS.file.tag), resourceSchema, pathSchema])
  .transform((t): FileRef => ({ resource: t[1], path: t[2] }));

/** The coordinates in a node id; BAD_USER_INPUT when the id is not one the gateway made. */
export function decodeNodeId(id: string): NodeRef {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput(`Malformed node id ${JSON.stringify(id.slice(0, 100))}`);
  }
  const owner = ownerSchema.safeParse(json);
  if (owner.success) {
    const { kind, ...ref } = owner.data;
    return { level: kind, ref } as NodeRef;
  }
  const resource = resourceSchema.safeParse(json);
  if (resource.success) return { level: 'resource', ref: resource.data };
  const file = fileSchema.safeParse(json);
  if (file.success) return { level: 'file', ref: file.data };
  throw badUserInput(`Malformed node id ${JSON.stringify(id.slice(0, 100))}`);
}

/** The owner coordinates of a node that can hold resources (project, subject, experiment, scan, assessor, reconstruction). */
export function ownerOfNode(node: NodeRef): OwnerRef | null {
  return isOwnerLevel(node.level) ? ({ kind: node.level, ...node.ref } as OwnerRef) : null;
}

type RefOf<L extends Level> = Extract<NodeRef, { level: L }>['ref'];

/**
 * The object a node id of `level` names, loaded with `load`: BAD_USER_INPUT for an id of another
 * type, NOT_FOUND when XNAT does not have it or does not show it to the user.
 */
export async function loadNodeOf<L extends Level, R>(
  id: string,
  level: L,
  load: (ref: RefOf<L>) => Promise<R | null | undefined>,
): Promise<R> {
  const node = decodeNodeId(id);
  if (node.level !== level) throw badUserInput(`id must be the id of a ${level}`);
  const found = await load(node.ref as RefOf<L>);
  if (!found) throw gatewayError('NOT_FOUND', `The ${level} does not exist or is not visible to you.`);
  return found;
}
