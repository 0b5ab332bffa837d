import type { Scan } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { NodeInterface } from './node.js';
import { ResourceConnection, ResourceType } from './resource.js';
import { selectsFiles } from './selection.js';

export const ScanType = builder.objectRef<Scan>('Scan');

ScanType.implement({
  description: 'A scan of an imaging session.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('id', { description: 'The scan ID, unique within its session (pyxnat `label()`), e.g. "2".' }),
    type: t.exposeString('type', { nullable: true }),
    seriesDescription: t.exposeString('seriesDescription', { nullable: true }),
    quality: t.exposeString('quality', { nullable: true }),
    frames: t.exposeInt('frames', { nullable: true }),
    modality: t.exposeString('modality', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    session: t.field({ type: ExperimentInterface, resolve: (scan) => scan.session }),
    resources: t.connection(
      {
        type: ResourceType,
        nullable: true,
        resolve: async (scan, args, { loaders }, info) => listConnection(args, await loaders.resources.resourcesOf(scan, { files: selectsFiles(info) })),
      },
      ResourceConnection,
    ),
    resource: t.field({
      type: ResourceType,
      nullable: true,
      description: 'A resource by label (or numeric resource ID); null when absent.',
      args: { label: t.arg.string({ required: true }) },
      resolve: (scan, { label }, { loaders }, info) => loaders.resources.resourceOf(scan, label, { files: selectsFiles(info) }),
    }),
  }),
});

export const ScanConnection = connectionOf(ScanType, 'ScanConnection');
