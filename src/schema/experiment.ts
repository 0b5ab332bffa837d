import type { Experiment } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentFilterInput, ScanFilterInput } from './filters.js';
import { experimentTypeName, NodeInterface, nodeIdOf } from './node.js';
import { experimentOrder, ORDER_BY_DESCRIPTION, scanOrder } from './ordering.js';
import { downloadUrlOf } from './resource.js';
import { ScanConnection, ScanType } from './scan.js';
import { SubjectType } from './subject.js';
import { addResourceOwnerFields } from './resource-owner.js';
import { addSharingFields } from './sharing.js';
import { nodesReadResources } from './selection.js';

export const ExperimentInterface = builder.interfaceRef<Experiment>('Experiment');

ExperimentInterface.implement({
  description: 'An experiment of a subject; imaging sessions resolve to MrSession, PetSession, CtSession or ImageSession.',
  interfaces: [NodeInterface],
  resolveType: experimentTypeName,
  fields: (t) => ({
    label: t.exposeString('label'),
    accessionId: t.exposeString('id', { description: 'XNAT accession ID, e.g. XNAT_E00001.' }),
    xsiType: t.exposeString('xsiType', { description: 'XNAT data type, e.g. xnat:mrSessionData.' }),
    date: t.expose('date', { type: 'Date', nullable: true }),
    time: t.exposeString('time', { nullable: true }),
    visitId: t.exposeString('visitId', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    insertDate: t.expose('insertDate', { type: 'LocalDateTime', nullable: true }),
    modality: t.string({
      nullable: true,
      resolve: async (e, _args, { loaders }) => (await loaders.scans.imageDetailsOf(e)).modality,
    }),
    scanner: t.string({
      nullable: true,
      resolve: async (e, _args, { loaders }) => (await loaders.scans.imageDetailsOf(e)).scanner,
    }),
    subject: t.field({
      type: SubjectType,
      nullable: true,
      resolve: async (e, _args, { loaders }) => loaders.subject({ project: e.project, subject: e.subjectId }),
    }),
    scans: t.connection(
      {
        type: ScanType,
        nullable: true,
        description:
          'Scans of the session, optionally only those of one scan type (exact match, e.g. "mprage") or matching `filter` (applied by the gateway: XNAT\'s scan listing ignores filters).',
        args: {
          type: t.arg.string({ required: false }),
          filter: t.arg({ type: ScanFilterInput, required: false }),
          orderBy: t.arg({ type: [scanOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
        },
        // One promise chain per session, not nested async functions: thousands of sessions wait
        // here at once while their scan resources load.
        resolve: (e, args, { loaders }, info) =>
          loaders.scans.scansOf(e, args.filter).then((scans) => {
            const page = listConnection(
              args,
              scanOrder.sort(args.type == null ? scans : scans.filter((s) => s.type === args.type), args.orderBy),
            );
            // The session's scan resources (and files) loaded here, once for the page, so that no scan waits on its own.
            const reading = page.edges.length > 0 ? nodesReadResources(info) : null;
            return reading ? loaders.resources.prefetch('scan', e.id, reading).then(() => page) : page;
          }),
      },
      ScanConnection,
    ),
    scan: t.field({
      type: ScanType,
      nullable: true,
      description: 'A scan by scan ID (pyxnat label, e.g. "2"); null when absent.',
      args: { id: t.arg.string({ required: true }) },
      resolve: (e, { id }, { loaders }) => loaders.scans.scanOf(e, id),
    }),
    downloadUrl: t.string({
      nullable: true,
      description:
        "A zip of the session's scan files (as xnatpy's `download_dir`), served by the gateway and saved as `<session>_scans.zip`; " +
        'optionally only scans of the given types and resources with the given labels (`<session>_<types>_<resources>.zip`). ' +
        'XNAT matches each type also against scan IDs, so a numeric type selects the scan with that ID too. Null for experiments that have no scans.',
      args: {
        scanTypes: t.arg.stringList({ required: false, description: 'Scan types to include, e.g. ["mprage", "T2w"].' }),
        resources: t.arg.stringList({ required: false, description: 'Resource labels to include, e.g. ["nifti"].' }),
      },
      resolve: (e, { scanTypes, resources }, { baseUrl }) =>
        experimentTypeName(e) === 'OtherExperiment'
          ? null
          : downloadUrlOf(baseUrl, 'experiment', nodeIdOf(e), { scanType: scanTypes ?? [], resource: resources ?? [] }),
    }),
  }),
});

export const ExperimentConnection = connectionOf(ExperimentInterface, 'ExperimentConnection');

builder.objectRef<Experiment>('MrSession').implement({
  description: 'An MR session (xnat:mrSessionData).',
  interfaces: [ExperimentInterface, NodeInterface],
  fields: (t) => ({
    fieldStrength: t.string({
      nullable: true,
      description: 'Magnetic field strength as XNAT records it (e.g. "3.0").',
      resolve: async (e, _args, { loaders }) => (await loaders.experiments.typeSpecificOf(e))?.fieldStrength ?? null,
    }),
  }),
});

builder.objectRef<Experiment>('PetSession').implement({
  description: 'A PET session (xnat:petSessionData).',
  interfaces: [ExperimentInterface, NodeInterface],
  fields: (t) => ({
    tracer: t.string({
      nullable: true,
      resolve: async (e, _args, { loaders }) => (await loaders.experiments.typeSpecificOf(e))?.tracer ?? null,
    }),
  }),
});

builder.objectRef<Experiment>('CtSession').implement({
  description: 'A CT session (xnat:ctSessionData).',
  interfaces: [ExperimentInterface, NodeInterface],
});

builder.objectRef<Experiment>('ImageSession').implement({
  description: 'An imaging session of another modality (any other xnat:…SessionData type).',
  interfaces: [ExperimentInterface, NodeInterface],
});

builder.objectRef<Experiment>('OtherExperiment').implement({
  description: 'An experiment that is not an imaging session (e.g. a clinical assessment); it has no scans.',
  interfaces: [ExperimentInterface, NodeInterface],
});

builder.queryFields((t) => ({
  experiments: t.connection(
    {
      type: ExperimentInterface,
      nullable: true,
      description:
        'Experiments across all readable projects, each in its owning project, from one request to XNAT with the filter applied there where XNAT can.',
      args: {
        filter: t.arg({ type: ExperimentFilterInput, required: false }),
        orderBy: t.arg({ type: [experimentOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) =>
        listConnection(args, experimentOrder.sort(await ctx.loaders.search.experimentsWhere(args.filter), args.orderBy)),
    },
    ExperimentConnection,
  ),
}));

addSharingFields(ExperimentInterface, 'experiment', 'can be written only through its owner');
addResourceOwnerFields(ExperimentInterface, 'Session-level resources (scan resources are under each scan).');
