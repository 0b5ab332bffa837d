import type { ArchiveObject, Experiment } from '../loaders/models.js';
import { assessorRef, experimentRef, fileRef, projectRef, resourceRef, scanRef, subjectRef, uriOf } from '../loaders/models.js';
import { builder } from './builder.js';
import { decodeNodeId, encodeNodeId, type NodeRef } from './ids.js';

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
    case 'Project':
      return { type: 'Project', ref: projectRef(object) };
    case 'Subject':
      return { type: 'Subject', ref: subjectRef(object) };
    case 'Experiment':
      return { type: 'Experiment', ref: experimentRef(object) };
    case 'Scan':
      return { type: 'Scan', ref: scanRef(object) };
    case 'Assessor':
      return { type: 'Assessor', ref: assessorRef(object) };
    case 'Resource':
      return { type: 'Resource', ref: resourceRef(object) };
    case 'File':
      return { type: 'File', ref: fileRef(object) };
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
  resolveType: (object) => (object.kind === 'Experiment' ? experimentTypeName(object) : object.kind),
});

builder.queryField('node', (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    description: 'Any object by id; null when it no longer exists or is not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { loaders }) => {
      const node = decodeNodeId(id);
      switch (node.type) {
        case 'Project':
          return loaders.project(node.ref);
        case 'Subject':
          return loaders.subject(node.ref);
        case 'Experiment':
          return loaders.experiment(node.ref);
        case 'Scan':
          return loaders.scan(node.ref);
        case 'Assessor':
          return loaders.assessor(node.ref);
        case 'Resource':
          return loaders.resource(node.ref);
        case 'File':
          return loaders.file(node.ref);
      }
    },
  }),
);
