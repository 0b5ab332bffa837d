import type { GatewayContext } from '../context.js';
import type { Assessor, Experiment, Project, Reconstruction, Scan, Subject } from '../loaders/models.js';
import { checkFieldPath } from '../xnat/field-paths.js';
import { badUserInput } from '../errors.js';
import { AssessorType } from './assessor.js';
import { builder } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { ProjectType } from './project.js';
import { ReconstructionType } from './reconstruction.js';
import { ScanType } from './scan.js';
import { SubjectType } from './subject.js';

/**
 * Any XNAT field of an object, as pyxnat's `attrs.get` / `attrs.mget` read it: a shortcut name
 * (`gender`, `fieldStrength`) or an XML path (`xnat:mrSessionData/fieldStrength`). Every
 * `field`/`fields` of one level in a request is answered by ONE extra listing with
 * `columns=ID,<all paths>` (docs/dashboard.md).
 */

interface FieldValue {
  path: string;
  value: string | null;
}

const FieldValueType = builder.objectRef<FieldValue>('FieldValue').implement({
  description: 'One XNAT field of an object: the path asked for and its value (null when XNAT has none or does not know the path).',
  fields: (t) => ({
    path: t.exposeString('path'),
    value: t.exposeString('value', { nullable: true }),
  }),
});

const MAX_PATHS = 50;

function checkPaths(paths: readonly string[]): string[] {
  if (paths.length > MAX_PATHS) throw badUserInput(`At most ${MAX_PATHS} field paths per object.`);
  return [...new Set(paths.map(checkFieldPath))];
}

type Loader<T> = (ctx: GatewayContext) => { load(request: { object: T; paths: readonly string[] }): Promise<FieldValue[]> };

const PATH_DESCRIPTION =
  'A shortcut name (e.g. "gender", "fieldStrength", "quality") or an XML path (e.g. "xnat:mrSessionData/fieldStrength").';

function fieldsOf<T extends Project | Subject | Experiment | Scan | Assessor | Reconstruction>(loader: Loader<T>) {
  return {
    field: (object: T, path: string, ctx: GatewayContext) =>
      loader(ctx)
        .load({ object, paths: checkPaths([path]) })
        .then((values) => values[0]?.value ?? null),
    fields: async (object: T, paths: readonly string[], ctx: GatewayContext) => {
      const unique = checkPaths(paths);
      const values = new Map((await loader(ctx).load({ object, paths: unique })).map((v) => [v.path, v.value]));
      return paths.map((path) => ({ path, value: values.get(path) ?? null }));
    },
  };
}

const projectFields = fieldsOf<Project>((ctx) => ctx.loaders.fields.projectFields);
const subjectFields = fieldsOf<Subject>((ctx) => ctx.loaders.fields.subjectFields);
const experimentFields = fieldsOf<Experiment>((ctx) => ctx.loaders.fields.experimentFields);
const scanFields = fieldsOf<Scan>((ctx) => ctx.loaders.fields.scanFields);
const assessorFields = fieldsOf<Assessor>((ctx) => ctx.loaders.fields.assessorFields);
const reconstructionFields = fieldsOf<Reconstruction>((ctx) => ctx.loaders.fields.reconstructionFields);

builder.objectFields(ProjectType, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any project field. ${PATH_DESCRIPTION}`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => projectFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several project fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => projectFields.fields(o, paths, ctx),
  }),
}));

builder.objectFields(SubjectType, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any subject field. ${PATH_DESCRIPTION}`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => subjectFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several subject fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => subjectFields.fields(o, paths, ctx),
  }),
}));

builder.interfaceFields(ExperimentInterface, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any experiment field. ${PATH_DESCRIPTION} Paths of a session subtype are asked in one request per subtype.`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => experimentFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several experiment fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => experimentFields.fields(o, paths, ctx),
  }),
}));

builder.objectFields(ScanType, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any scan field, through the experiment listing's scan-column join. ${PATH_DESCRIPTION}`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => scanFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several scan fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => scanFields.fields(o, paths, ctx),
  }),
}));

builder.objectFields(AssessorType, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any assessor field, e.g. "xnat:qcManualAssessorData/pass" or "fs:fsData/fs_version". ${PATH_DESCRIPTION} Paths of an assessor type are asked in one request per type.`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => assessorFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several assessor fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => assessorFields.fields(o, paths, ctx),
  }),
}));

builder.objectFields(ReconstructionType, (t) => ({
  field: t.string({
    nullable: true,
    description: `Any reconstruction field, e.g. "baseScanType" or "xnat:reconstructedImageData/type", through the experiment listing's reconstruction join. ${PATH_DESCRIPTION}`,
    args: { path: t.arg.string({ required: true }) },
    resolve: (o, { path }, ctx) => reconstructionFields.field(o, path, ctx),
  }),
  fields: t.field({
    type: [FieldValueType],
    description: `Several reconstruction fields in one go (pyxnat attrs.mget). ${PATH_DESCRIPTION}`,
    args: { paths: t.arg.stringList({ required: true }) },
    resolve: (o, { paths }, ctx) => reconstructionFields.fields(o, paths, ctx),
  }),
}));
