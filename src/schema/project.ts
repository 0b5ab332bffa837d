import type { Project } from '../loaders/models.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { ExperimentConnection, ExperimentInterface } from './experiment.js';
import { ExperimentFilterInput, SubjectFilterInput } from './filters.js';
import { NodeInterface } from './node.js';
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
        args: { filter: t.arg({ type: SubjectFilterInput, required: false }) },
        resolve: async (project, args, ctx) =>
          listConnection(args, args.filter ? await ctx.dashboard.subjectsOfProjectWhere(project.id, args.filter) : await ctx.loaders.subjects.subjectsOf(project.id)),
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
        args: { filter: t.arg({ type: ExperimentFilterInput, required: false }) },
        resolve: async (project, args, ctx) =>
          listConnection(args, args.filter ? await ctx.dashboard.experimentsOfProjectWhere(project.id, args.filter) : await ctx.loaders.experiments.experimentsOfProject(project.id)),
      },
      ExperimentConnection,
    ),
    resources: t.connection(
      {
        type: ResourceType,
        nullable: true,
        description: 'Project-level resources.',
        resolve: async (project, args, { loaders }) => listConnection(args, await loaders.resources.resourcesOf(project)),
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
      resolve: async (_root, args, { loaders }) => listConnection(args, await loaders.projects.projects()),
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
