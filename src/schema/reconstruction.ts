import type { Reconstruction } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { NodeInterface } from './node.js';
import { addResourceOwnerFields } from './resource-owner.js';

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
  }),
});

const ReconstructionConnection = connectionOf(ReconstructionType, 'ReconstructionConnection');

builder.interfaceFields(ExperimentInterface, (t) => ({
  reconstructions: t.connection(
    {
      type: ReconstructionType,
      nullable: true,
      description:
        'Reconstructions of the session, sorted by ID (none for experiments that are not image sessions); optionally only those of one `type` (e.g. "T1_MNI152", compared exactly, as XNAT matches a type in a reconstruction URL).',
      args: { type: t.arg.string({ required: false }) },
      resolve: async (e, args, { loaders }) => {
        const all = await loaders.reconstructions.of(e);
        return listConnection(args, args.type == null ? all : all.filter((r) => r.type === args.type));
      },
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

addResourceOwnerFields(ReconstructionType, "The reconstruction's output resources (XNAT's `out` resources: pyxnat's `out_resources()`).");
