import { z } from 'zod';
import { badUserInput, gatewayError } from '../errors.js';
import { checkFilePath, checkName } from '../xnat/paths.js';
import type { AssessorRef, ExperimentRef, FileRef, OwnerRef, ProjectRef, ResourceRef, ScanRef, SubjectRef } from '../xnat/records.js';

/**
 * Node ids carry the XNAT coordinates of an object (accession IDs from the project down, then
 * resource label and file path), so any id can be turned back into an XNAT path without a
 * lookup table: base64url of a JSON array whose first element tags the type.
 *   Project  ["P", project]
 *   Subject  ["S", project, subjectId]
 *   Experiment ["E", project, subjectId, experimentId]
 *   Scan     ["C", project, subjectId, experimentId, scanId]
 *   Assessor ["A", project, subjectId, sessionId, assessorId]
 *   Resource ["R", <owner array>, label]
 *   File     ["F", <resource array>, path]
 */
export type NodeRef =
  | { type: 'Project'; ref: ProjectRef }
  | { type: 'Subject'; ref: SubjectRef }
  | { type: 'Experiment'; ref: ExperimentRef }
  | { type: 'Scan'; ref: ScanRef }
  | { type: 'Assessor'; ref: AssessorRef }
  | { type: 'Resource'; ref: ResourceRef }
  | { type: 'File'; ref: FileRef };

type Tuple = (string | Tuple)[];

function ownerTuple(owner: OwnerRef): Tuple {
  switch (owner.kind) {
    case 'project':
      return ['P', owner.project];
    case 'subject':
      return ['S', owner.project, owner.subject];
    case 'experiment':
      return ['E', owner.project, owner.subject, owner.experiment];
    case 'scan':
      return ['C', owner.project, owner.subject, owner.experiment, owner.scan];
    case 'assessor':
      return ['A', owner.project, owner.subject, owner.experiment, owner.assessor];
  }
}

function resourceTuple(ref: ResourceRef): Tuple {
  return ['R', ownerTuple(ref.owner), ref.label];
}

function tupleOf(node: NodeRef): Tuple {
  switch (node.type) {
    case 'Project':
      return ownerTuple({ kind: 'project', ...node.ref });
    case 'Subject':
      return ownerTuple({ kind: 'subject', ...node.ref });
    case 'Experiment':
      return ownerTuple({ kind: 'experiment', ...node.ref });
    case 'Scan':
      return ownerTuple({ kind: 'scan', ...node.ref });
    case 'Assessor':
      return ownerTuple({ kind: 'assessor', ...node.ref });
    case 'Resource':
      return resourceTuple(node.ref);
    case 'File':
      return ['F', resourceTuple(node.ref.resource), node.ref.path];
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
const ownerSchema = z.union([
  z.tuple([z.literal('P'), name('project')]).transform((t): OwnerRef => ({ kind: 'project', project: t[1] })),
  z
    .tuple([z.literal('S'), name('project'), name('subject')])
    .transform((t): OwnerRef => ({ kind: 'subject', project: t[1], subject: t[2] })),
  z
    .tuple([z.literal('E'), name('project'), name('subject'), name('experiment')])
    .transform((t): OwnerRef => ({ kind: 'experiment', project: t[1], subject: t[2], experiment: t[3] })),
  z
    .tuple([z.literal('C'), name('project'), name('subject'), name('experiment'), name('scan')])
    .transform((t): OwnerRef => ({ kind: 'scan', project: t[1], subject: t[2], experiment: t[3], scan: t[4] })),
  z
    .tuple([z.literal('A'), name('project'), name('subject'), name('experiment'), name('assessor')])
    .transform((t): OwnerRef => ({ kind: 'assessor', project: t[1], subject: t[2], experiment: t[3], assessor: t[4] })),
]);
const resourceSchema = z
  .tuple([z.literal('R'), ownerSchema, name('resource label')])
  .transform((t): ResourceRef => ({ owner: t[1], label: t[2] }));
const pathSchema = z.string().refine((v) => {
  try {
    checkFilePath(v);
    return true;
  } catch {
    return false;
  }
}, 'invalid file path');
const fileSchema = z.tuple([z.literal('F'), resourceSchema, pathSchema]).transform((t): FileRef => ({ resource: t[1], path: t[2] }));

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
    const type = ({ project: 'Project', subject: 'Subject', experiment: 'Experiment', scan: 'Scan', assessor: 'Assessor' } as const)[kind];
    return { type, ref } as NodeRef;
  }
  const resource = resourceSchema.safeParse(json);
  if (resource.success) return { type: 'Resource', ref: resource.data };
  const file = fileSchema.safeParse(json);
  if (file.success) return { type: 'File', ref: file.data };
  throw badUserInput(`Malformed node id ${JSON.stringify(id.slice(0, 100))}`);
}

/** The owner coordinates of a node that can hold resources (project, subject, experiment, scan, assessor). */
export function ownerOfNode(node: NodeRef): OwnerRef | null {
  switch (node.type) {
    case 'Project':
      return { kind: 'project', ...node.ref };
    case 'Subject':
      return { kind: 'subject', ...node.ref };
    case 'Experiment':
      return { kind: 'experiment', ...node.ref };
    case 'Scan':
      return { kind: 'scan', ...node.ref };
    case 'Assessor':
      return { kind: 'assessor', ...node.ref };
    default:
      return null;
  }
}

type RefOf<T extends NodeRef['type']> = Extract<NodeRef, { type: T }>['ref'];

/**
 * The object a node id of `type` names, loaded with `load`: BAD_USER_INPUT for an id of another
 * type, NOT_FOUND when XNAT does not have it or does not show it to the user.
 */
export async function loadNodeOf<T extends NodeRef['type'], R>(
  id: string,
  type: T,
  what: string,
  load: (ref: RefOf<T>) => Promise<R | null | undefined>,
): Promise<R> {
  const node = decodeNodeId(id);
  if (node.type !== type) throw badUserInput(`id must be the id of a ${what}`);
  const found = await load(node.ref as RefOf<T>);
  if (!found) throw gatewayError('NOT_FOUND', `The ${what} does not exist or is not visible to you.`);
  return found;
}
