import type { Project } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentConnection, ExperimentInterface } from './experiment.js';
import { ExperimentFilterInput, SubjectFilterInput } from './filters.js';
import { NodeInterface } from './node.js';
import { experimentOrder, ORDER_BY_DESCRIPTION, projectOrder, subjectOrder } from './ordering.js';
import { STATS_FILTER, StatsType } from './stats.js';
import { SubjectConnection, SubjectType } from './subject.js';
import { addResourceOwnerFields } from './resource-owner.js';

export const ProjectType = builder.objectRef<Project>('Project');

const ProjectRoleEnum = builder.enumType('ProjectRole', {
  description: "A user's role in an XNAT project.",
  values: {
    OWNER: { description: 'Owners read, write and delete the project and its data.' },
    MEMBER: { description: 'Members read the project and read and write its data, but do not delete it.' },
    COLLABORATOR: { description: 'Collaborators read the project and its data.' },
  } as const,
});

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
          listConnection(args, subjectOrder.sort(await ctx.loaders.subjects.subjectsOf(project.id, args.filter), args.orderBy)),
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
            experimentOrder.sort(await ctx.loaders.experiments.experimentsOfProject(project.id, args.filter), args.orderBy),
          ),
      },
      ExperimentConnection,
    ),
    stats: t.field({
      type: StatsType,
      description:
        'Counts of the project; the figures of all projects of one request (with the same filter) share the same few XNAT requests.',
      args: { filter: t.arg({ type: ExperimentFilterInput, required: false, description: STATS_FILTER }) },
      resolve: (p, args) => ({ projects: async () => [p.id], filter: args.filter ?? null }),
    }),
    viewerRole: t.field({
      type: ProjectRoleEnum,
      nullable: true,
      description:
        "The caller's role in the project (their XNAT group `<project>_owner`, `_member` or `_collaborator`; the groups of all projects come with one request per GraphQL request); null without one (site administrators included, unless also in a project group).",
      resolve: async (p, _a, ctx) => (await ctx.loaders.permissions.access(p.id)).role,
    }),
    viewerCanEdit: t.boolean({
      description:
        "Whether the caller may create and edit the project's own subjects, sessions, scans and their resources and files: owners, members and site administrators (`ALL_DATA_ADMIN`), under XNAT's default project permissions. Resources on the project itself are owners' (and administrators') only; data shared into the project is read-only there.",
      resolve: async (p, _a, ctx) => (await ctx.loaders.permissions.access(p.id)).canEdit,
    }),
    viewerCanDelete: t.boolean({
      description:
        "Whether the caller may delete the project's own data: owners and site administrators, under XNAT's default project permissions.",
      resolve: async (p, _a, ctx) => (await ctx.loaders.permissions.access(p.id)).canDelete,
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

addResourceOwnerFields(ProjectType, 'Project-level resources.');
