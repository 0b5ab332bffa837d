import type { Scan } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { NodeInterface, nodeIdOf } from './node.js';
import { ExperimentFilterInput, ScanFilterInput } from './filters.js';
import { ORDER_BY_DESCRIPTION, scanOrder } from './ordering.js';
import { downloadUrlOf } from './resource.js';
import { addResourceOwnerFields } from './resource-owner.js';

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
    downloadUrl: t.string({
      description:
        'A zip of all files of the scan (every resource, or only those labelled in `resources`), served by the gateway and saved as `<session>_<scan>.zip`. Entries are named as XNAT names them: `<session>/scans/<scan>-<type>/resources/<resource>/files/<path>`.',
      args: { resources: t.arg.stringList({ required: false, description: 'Resource labels to include, e.g. ["DICOM"].' }) },
      resolve: (scan, { resources }, { baseUrl }) => downloadUrlOf(baseUrl, 'scan', nodeIdOf(scan), { resource: resources ?? [] }),
    }),
  }),
});

export const ScanConnection = connectionOf(ScanType, 'ScanConnection');

builder.queryFields((t) => ({
  scans: t.connection(
    {
      type: ScanType,
      nullable: true,
      description: 'Scans across all readable imaging sessions, from one request to XNAT with both filters applied there where XNAT can.',
      args: {
        filter: t.arg({ type: ScanFilterInput, required: false }),
        experiments: t.arg({ type: ExperimentFilterInput, required: false, description: 'Which sessions to look in.' }),
        orderBy: t.arg({ type: [scanOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) =>
        listConnection(args, scanOrder.sort(await ctx.loaders.search.scansWhere(args.filter, args.experiments), args.orderBy)),
    },
    ScanConnection,
  ),
}));

addResourceOwnerFields(ScanType, 'Resources of the scan (e.g. DICOM, NIFTI, SNAPSHOTS).');
