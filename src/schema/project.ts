import type { Project } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentConnection, ExperimentInterface } from './experiment.js';
import { ExperimentFilterInput, SubjectFilterInput } from './filters.js';
import { NodeInterface } from './node.js';
import { experimentOrder, ORDER_BY_DESCRIPTION, projectOrder, resourceOrder, subjectOrder } from './ordering.js';
import { ResourceConnection, ResourceType } from './resource.js';
import { SubjectConnection, SubjectType } from './subject.js';

export const ProjectType = builder.objectRef<Project>('Project');

ProjectType.implement({
  description: 'An XNAT project.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('id', { description: 'The project ID (what pyxnat calls the label).' }),
    name: t.exposeString('name', { nullable: true }),
    secondaryId: t.exposeString('secondaryId', { nullable: true, description: 'The running title.' }),
    description: t.exposeString('description', { nullable: true }),
    keywords: t.exposeStringList('keywords'),
    pi: t.exposeString('pi', { nullable: true, description: 'Principal investigator, first and last name.' }),
    subjects: t.connection(
      {
        type: SubjectType,
        nullable: true,
        description: 'Subjects owned by the project (subjects shared into it from other projects are not listed).',
        args: {
          filter: t.arg({ type: SubjectFilterInput, required: false }),
          orderBy: t.arg({ type: [subjectOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
        },
        resolve: async (project, args, ctx) =>
          listConnection(
            args,
            subjectOrder.sort(
              args.filter
                ? await ctx.dashboard.subjectsOfProjectWhere(project.id, args.filter)
                : await ctx.loaders.subjects.subjectsOf(project.id),
              args.orderBy,
            ),
          ),
      },
      SubjectConnection,
    ),
    subject: t.field({
      type: SubjectType,
      nullable: true,
      description: 'A subject by label (or accession ID); null when absent: pyxnat `exists()`.',
      args: { label: t.arg.string({ required: true }) },
      resolve: (project, { label }, { loaders }) => loaders.subjects.subjectOf(project.id, label),
    }),
    experiments: t.connection(
      {
        type: ExperimentInterface,
        nullable: true,
        description: 'Experiments owned by the project, across its subjects.',
        args: {
          filter: t.arg({ type: ExperimentFilterInput, required: false }),
          orderBy: t.arg({ type: [experimentOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
        },
        resolve: async (project, args, ctx) =>
          listConnection(
            args,
            experimentOrder.sort(
              args.filter
                ? await ctx.dashboard.experimentsOfProjectWhere(project.id, args.filter)
                : await ctx.loaders.experiments.experimentsOfProject(project.id),
              args.orderBy,
            ),
          ),
      },
      ExperimentConnection,
    ),
    resources: t.connection(
      {
        type: ResourceType,
        nullable: true,
        description: 'Project-level resources.',
        args: { orderBy: t.arg({ type: [resourceOrder.input], required: false, description: ORDER_BY_DESCRIPTION }) },
        resolve: async (project, args, { loaders }) =>
          listConnection(args, resourceOrder.sort(await loaders.resources.resourcesOf(project), args.orderBy)),
      },
      ResourceConnection,
    ),
    resource: t.field({
      type: ResourceType,
      nullable: true,
      args: { label: t.arg.string({ required: true }) },
      resolve: (project, { label }, { loaders }) => loaders.resources.resourceOf(project, label),
    }),
  }),
});

const ProjectConnection = connectionOf(ProjectType, 'ProjectConnection');

builder.queryFields((t) => ({
  projects: t.connection(
    {
      type: ProjectType,
      nullable: true,
      description: 'Every project the caller can read.',
      args: { orderBy: t.arg({ type: [projectOrder.input], required: false, description: ORDER_BY_DESCRIPTION }) },
      resolve: async (_root, args, { loaders }) => listConnection(args, projectOrder.sort(await loaders.projects.projects(), args.orderBy)),
    },
    ProjectConnection,
  ),
  project: t.field({
    type: ProjectType,
    nullable: true,
    description: "A project by XNAT project ID; null when absent or not visible (pyxnat's `exists()`).",
    args: { id: t.arg.string({ required: true }) },
    resolve: (_root, { id }, { loaders }) => loaders.projects.project(id),
  }),
}));
