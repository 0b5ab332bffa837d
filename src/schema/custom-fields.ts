import type { GatewayContext } from '../context.js';
import type { Assessor, Experiment, Project, Subject } from '../loaders/models.js';
import type { CustomField } from '../xnat/fields.js';
import { AssessorType } from './assessor.js';
import { builder } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { ProjectType } from './project.js';
import { SubjectType } from './subject.js';

/**
 * XNAT custom variables (`<type>/fields/field`: a name and a value) on projects, subjects,
 * experiments and assessors; image scans have none in XNAT's schema. Read only when selected,
 * one listing per level; set one with `setFields` and the path
 * `xnat:subjectData/fields/field[name=cohort]/field`.
 */
const CustomFieldType = builder.objectRef<CustomField>('CustomField').implement({
  description: 'One XNAT custom variable of an object: its name and value.',
  fields: (t) => ({
    name: t.exposeString('name'),
    value: t.exposeString('value', { nullable: true }),
  }),
});

const DESCRIPTION =
  'The custom variables XNAT keeps for this object (`fields/field`), by name. One XNAT listing per level of the query, asked only when selected.';

const resolveCustomFields = (object: Project | Subject | Experiment | Assessor, _args: object, { loaders }: GatewayContext) =>
  loaders.fields.customFieldsOf(object);

builder.objectFields(ProjectType, (t) => ({
  customFields: t.field({ type: [CustomFieldType], nullable: true, description: DESCRIPTION, resolve: resolveCustomFields }),
}));
builder.objectFields(SubjectType, (t) => ({
  customFields: t.field({ type: [CustomFieldType], nullable: true, description: DESCRIPTION, resolve: resolveCustomFields }),
}));
builder.interfaceFields(ExperimentInterface, (t) => ({
  customFields: t.field({ type: [CustomFieldType], nullable: true, description: DESCRIPTION, resolve: resolveCustomFields }),
}));
builder.objectFields(AssessorType, (t) => ({
  customFields: t.field({ type: [CustomFieldType], nullable: true, description: DESCRIPTION, resolve: resolveCustomFields }),
}));
