import type { Reconstruction } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { NodeInterface } from './node.js';
import { ORDER_BY_DESCRIPTION, resourceOrder } from './ordering.js';
import { ResourceConnection, ResourceType } from './resource.js';
import { selectsFiles } from './selection.js';
import { addUploadUrl } from './upload-url.js';

export const ReconstructionType = builder.objectRef<Reconstruction>('Reconstruction');

ReconstructionType.implement({
  description:
    'A reconstruction of an image session (xnat:reconstructedImageData): images rebuilt or resampled from its scans, such as a T1 volume in MNI space. Other values are read with `field`/`fields`.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('id', {
      description: 'The reconstruction ID, unique within its session only (pyxnat\'s `id()`), e.g. "sub-01_MR1_mni152".',
    }),
    type: t.exposeString('type', { nullable: true, description: 'What the reconstruction is, e.g. "T1_MNI152".' }),
    baseScanType: t.exposeString('baseScanType', { nullable: true, description: 'The type of the scans it was built from.' }),
    session: t.field({ type: ExperimentInterface, description: 'The reconstructed session.', resolve: (r) => r.session }),
    resources: t.connection(
      {
        type: ResourceType,
        nullable: true,
        description: "The reconstruction's resources (XNAT's `out` resources: pyxnat's `out_resources()`).",
        args: { orderBy: t.arg({ type: [resourceOrder.input], required: false, description: ORDER_BY_DESCRIPTION }) },
        resolve: async (r, args, { loaders }, info) =>
          listConnection(args, resourceOrder.sort(await loaders.resources.resourcesOf(r, { files: selectsFiles(info) }), args.orderBy)),
      },
      ResourceConnection,
    ),
    resource: t.field({
      type: ResourceType,
      nullable: true,
      description: 'A resource by label (or numeric resource ID); null when absent.',
      args: { label: t.arg.string({ required: true }) },
      resolve: (r, { label }, { loaders }, info) => loaders.resources.resourceOf(r, label, { files: selectsFiles(info) }),
    }),
  }),
});

export const ReconstructionConnection = connectionOf(ReconstructionType, 'ReconstructionConnection');

builder.interfaceFields(ExperimentInterface, (t) => ({
  reconstructions: t.connection(
    {
      type: ReconstructionType,
      nullable: true,
      description: 'Reconstructions of the session, sorted by ID (none for experiments that are not image sessions).',
      resolve: async (e, args, { loaders }) => listConnection(args, await loaders.reconstructions.of(e)),
    },
    ReconstructionConnection,
  ),
  reconstruction: t.field({
    type: ReconstructionType,
    nullable: true,
    description: 'A reconstruction by ID; null when absent.',
    args: { id: t.arg.string({ required: true }) },
    resolve: (e, { id }, { loaders }) => loaders.reconstructions.byId(e, id),
  }),
}));

addUploadUrl(ReconstructionType);
