import type { ArchiveObject, Experiment } from '../loaders/models.js';
import { fileRef, ownerRef, resourceRef, uriOf } from '../loaders/models.js';
import { LEVELS } from '../levels.js';
import { builder } from './builder.js';
import { decodeNodeId, encodeNodeId, type NodeRef, ownerOfNode } from './ids.js';

/** GraphQL object type of an experiment, from its XNAT data type. */
export function experimentTypeName(e: Experiment): string {
  switch (e.xsiType) {
    case 'xnat:mrSessionData':
      return 'MrSession';
    case 'xnat:petSessionData':
      return 'PetSession';
    case 'xnat:ctSessionData':
      return 'CtSession';
    default:
      return /SessionData$/.test(e.xsiType) ? 'ImageSession' : 'OtherExperiment';
  }
}

function nodeRefOf(object: ArchiveObject): NodeRef {
  switch (object.kind) {
    case 'resource':
      return { level: 'resource', ref: resourceRef(object) };
    case 'file':
      return { level: 'file', ref: fileRef(object) };
    default: {
      const { kind, ...ref } = ownerRef(object);
      return { level: kind, ref } as NodeRef;
    }
  }
}

export function nodeIdOf(object: ArchiveObject): string {
  return encodeNodeId(nodeRefOf(object));
}

export const NodeInterface = builder.interfaceRef<ArchiveObject>('Node').implement({
  description: 'An archive object. Its id encodes its XNAT coordinates, so it stays valid as long as the object exists.',
  fields: (t) => ({
    id: t.id({ resolve: nodeIdOf }),
    uri: t.string({ description: "The object's XNAT REST path as pyxnat's `_uri` builds it (project ID, then labels).", resolve: uriOf }),
  }),
  resolveType: (object) => (object.kind === 'experiment' ? experimentTypeName(object) : LEVELS[object.kind].typename),
});

builder.queryField('node', (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    description: 'Any object by id; null when it no longer exists or is not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { loaders }) => {
      const node = decodeNodeId(id);
      switch (node.level) {
        case 'resource':
          return loaders.resource(node.ref);
        case 'file':
          return loaders.file(node.ref);
        default:
          return loaders.owner(ownerOfNode(node)!);
      }
    },
  }),
);
