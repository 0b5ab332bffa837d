import type { Assessor } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { NodeInterface } from './node.js';
import { ProjectType } from './project.js';
import { addResourceOwnerFields } from './resource-owner.js';

export const AssessorType = builder.objectRef<Assessor>('Assessor');

AssessorType.implement({
  description:
    'An image assessor of a session: derived data such as a QC assessment (xnat:qcManualAssessorData, xnat:qcAssessmentData) or a FreeSurfer run (fs:fsData). Type-specific values (a QC `pass`, `fs_version`) are read with `field`/`fields`.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('label'),
    accessionId: t.exposeString('id', { description: 'XNAT accession ID (assessors are experiments), e.g. XNAT_E00057.' }),
    xsiType: t.exposeString('xsiType', { description: 'XNAT data type, e.g. xnat:qcManualAssessorData, fs:fsData.' }),
    date: t.expose('date', { type: 'Date', nullable: true }),
    insertDate: t.expose('insertDate', { type: 'LocalDateTime', nullable: true }),
    session: t.field({ type: ExperimentInterface, description: 'The session the assessor assesses.', resolve: (a) => a.session }),
    project: t.field({
      type: ProjectType,
      nullable: true,
      resolve: (a, _args, { loaders }) => loaders.projects.project(a.project),
    }),
  }),
});

const AssessorConnection = connectionOf(AssessorType, 'AssessorConnection');

builder.interfaceFields(ExperimentInterface, (t) => ({
  assessors: t.connection(
    {
      type: AssessorType,
      nullable: true,
      description:
        'Image assessors of the session (QC, FreeSurfer…) the caller may read — owned by a project they read, or shared into one, whichever project the session was reached through — sorted by label; optionally only those of one data type (`xsiType`, e.g. "fs:fsData", compared without case).',
      args: { xsiType: t.arg.string({ required: false }) },
      resolve: async (e, args, { loaders }) => {
        const all = await loaders.assessors.of(e);
        const type = args.xsiType?.toLowerCase();
        return listConnection(args, type === undefined ? all : all.filter((a) => a.xsiType.toLowerCase() === type));
      },
    },
    AssessorConnection,
  ),
  assessor: t.field({
    type: AssessorType,
    nullable: true,
    description: 'An image assessor by label (or accession ID); null when absent.',
    args: { label: t.arg.string({ required: true }) },
    resolve: (e, { label }, { loaders }) => loaders.assessors.find(e, label),
  }),
}));

addResourceOwnerFields(AssessorType, "The assessor's output resources, e.g. SNAPSHOTS.");
