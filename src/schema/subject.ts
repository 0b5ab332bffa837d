import type { Subject } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentConnection, ExperimentInterface } from './experiment.js';
import { ExperimentFilterInput } from './filters.js';
import { NodeInterface } from './node.js';
import { experimentOrder, ORDER_BY_DESCRIPTION } from './ordering.js';
import { addResourceOwnerFields } from './resource-owner.js';
import { addSharingFields } from './sharing.js';

export const SubjectType = builder.objectRef<Subject>('Subject');

SubjectType.implement({
  description: 'A subject (participant), as listed in a project: the one that owns it, or one it is shared into (with its label there).',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('label'),
    accessionId: t.exposeString('id', { description: 'XNAT accession ID, e.g. XNAT_S00001.' }),
    group: t.exposeString('group', { nullable: true }),
    gender: t.exposeString('gender', { nullable: true }),
    handedness: t.exposeString('handedness', { nullable: true }),
    yob: t.exposeInt('yob', { nullable: true, description: 'Year of birth.' }),
    age: t.exposeFloat('age', { nullable: true }),
    insertDate: t.expose('insertDate', { type: 'LocalDateTime', nullable: true }),
    experiments: t.connection(
      {
        type: ExperimentInterface,
        nullable: true,
        args: {
          filter: t.arg({ type: ExperimentFilterInput, required: false }),
          orderBy: t.arg({ type: [experimentOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
        },
        resolve: async (subject, args, ctx) =>
          listConnection(
            args,
            experimentOrder.sort(await ctx.loaders.experiments.experimentsOfSubject(subject, args.filter), args.orderBy),
          ),
      },
      ExperimentConnection,
    ),
    experiment: t.field({
      type: ExperimentInterface,
      nullable: true,
      description: 'An experiment by label (or accession ID); null when absent.',
      args: { label: t.arg.string({ required: true }) },
      resolve: (subject, { label }, { loaders }) => loaders.experiments.experimentOfSubject(subject, label),
    }),
  }),
});

export const SubjectConnection = connectionOf(SubjectType, 'SubjectConnection');

addSharingFields(SubjectType, 'subject', 'its experiments there are those shared into `project` too');
addResourceOwnerFields(SubjectType, 'Subject-level resources.');
