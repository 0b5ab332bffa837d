import { type Family, isA, isTypeName, SHORTCUTS, shortcutForField, shortcutForPath } from '../datatypes.js';
import { customFieldName, fieldKind, InvalidValue, storedValue } from '../field-schema.js';
import type { CustomFields, ExperimentRecord, Fields, ProjectRecord, SubjectRecord } from '../model.js';
import { ownerOf } from '../owners.js';
import { may, mayOn } from '../permissions.js';
import { HttpError, sendText } from '../responses.js';
import { timestampText } from '../store.js';
import type { RequestContext } from './context.js';
import type { Step } from './path.js';

/** Shortcuts that name the object itself; a PUT never rewrites them from the query. */
const IDENTITY = new Set(['ID', 'project', 'label', 'subject_ID', 'xsiType']);

/**
 * Field values a PUT sets from its query, as `SecureResource.loadItem` → `PopulateItem` →
 * `GenericItemObject.setProperties` apply them: a writable shortcut of the resource's family is
 * first replaced by its XML path (`fieldMapping`); a path whose type is the item's type or one
 * it extends sets that field, a path of any other type is ignored. A field the type does not
 * have stops the population there: XNAT catches the `FieldNotFoundException`, saves what was set
 * before it and answers 200 (the order is a Java HashMap's; here the query's). A value the
 * field's type refuses fails validation: 400, nothing stored. `fields/field[name=X]/field` sets the
 * custom variable X of a project, subject or experiment.
 */
function fieldsFromQuery(ctx: RequestContext, family: Family, itemType: string): QueryValues {
  const fields: Fields = {};
  const custom: CustomFields = {};
  for (const [param, value] of ctx.query.entries()) {
    const shortcut = param.includes('/') ? undefined : SHORTCUTS[family].get(param);
    if (!param.includes('/') && (!shortcut || shortcut.readOnly || IDENTITY.has(param))) continue;
    const path = shortcut?.path ?? param;
    const slash = path.indexOf('/');
    const type = path.slice(0, slash);
    if (slash < 0 || !isTypeName(type) || !isA(itemType, type)) continue;
    const field = path.slice(slash + 1);
    const customName = family === 'scan' || family === 'reconstruction' ? undefined : customFieldName(field);
    if (customName !== undefined) {
      custom[customName] = value;
      continue;
    }
    const kind = fieldKind(itemType, field);
    if (!kind) break;
    const name = shortcutForPath(family, path) ?? shortcutForField(family, field) ?? field.split('/').pop() ?? field;
    if (IDENTITY.has(name)) continue;
    try {
      fields[name] = storedValue(kind, value);
    } catch (error) {
      if (error instanceof InvalidValue) throw new HttpError(400, `${itemType}/${field}: ${error.message}`);
      throw error;
    }
  }
  return { fields, custom };
}

/** Field values and custom variables a PUT sets. */
interface QueryValues {
  fields: Fields;
  custom: CustomFields;
}

function store(record: { fields: Fields; custom?: CustomFields }, values: QueryValues): void {
  Object.assign(record.fields, values.fields);
  if (Object.keys(values.custom).length > 0) record.custom = { ...record.custom, ...values.custom };
}

function writableProject(ctx: RequestContext, id: string): ProjectRecord {
  const project = ctx.resolver.project(id);
  // Creating or editing subjects and sessions is the data scope (members may, collaborators not).
  if (!may(ctx.user, 'edit', 'data', project)) throw new HttpError(403, 'Insufficient create/edit privileges');
  return project;
}

function created(user: string): Fields {
  return { insert_date: timestampText(new Date()), insert_user: user };
}

function putSubject(ctx: RequestContext, project: ProjectRecord, token: string): void {
  const values = fieldsFromQuery(ctx, 'subject', 'xnat:subjectData');
  const existing = ctx.archive.findSubject(project.id, token);
  if (existing) {
    store(existing, values);
    return sendText(ctx.res, 200, existing.id);
  }
  const subject = ctx.archive.createSubject(project.id, token, created(ctx.user.login));
  store(subject, values);
  sendText(ctx.res, 201, subject.id);
}

function subjectFor(ctx: RequestContext, project: ProjectRecord, token: string | undefined): SubjectRecord {
  if (token === undefined) throw new HttpError(400, 'Missing subject_ID');
  return (
    ctx.archive.findSubject(project.id, token) ??
    // SubjAssessmentResource.createNewSubject: a session PUT under an unknown subject creates it.
    ctx.archive.createSubject(project.id, token, created(ctx.user.login))
  );
}

function putExperiment(ctx: RequestContext, project: ProjectRecord, subjectToken: string | undefined, token: string): void {
  const known = subjectToken === undefined ? undefined : ctx.archive.findSubject(project.id, subjectToken);
  const existing = ctx.archive.findExperiment(project.id, known?.id, token);
  if (existing) {
    store(existing, fieldsFromQuery(ctx, 'experiment', existing.xsiType));
    return sendText(ctx.res, 200, existing.id);
  }
  createExperimentFrom(ctx, newType(ctx, 'xnat:subjectAssessorData', 'Need PUT Contents'), () => {
    const subject = known ?? subjectFor(ctx, project, subjectToken ?? ctx.query.get('subject_ID'));
    return { project: project.id, subjectId: subject.id, label: token };
  });
}

/** The `xsiType` of a PUT that creates an experiment: 417 without one, 400 unless it is a kind of `ancestor`. */
function newType(ctx: RequestContext, ancestor: string, missing: string): string {
  const xsiType = ctx.query.get('xsiType');
  if (!xsiType) throw new HttpError(417, missing);
  if (!isTypeName(xsiType) || !isA(xsiType, ancestor)) throw new HttpError(400, `Unknown data type ${xsiType}`);
  return xsiType;
}

/**
 * Creates a session or image assessor with the query's fields and answers 201 + its ID. The
 * fields are checked first, so a refused value creates nothing (not even a missing subject).
 */
function createExperimentFrom(
  ctx: RequestContext,
  xsiType: string,
  place: () => Pick<ExperimentRecord, 'project' | 'subjectId' | 'label' | 'sessionId'>,
): void {
  const values = fieldsFromQuery(ctx, 'experiment', xsiType);
  const experiment = ctx.archive.createExperiment({ ...place(), xsiType, fields: created(ctx.user.login) });
  store(experiment, values);
  sendText(ctx.res, 201, experiment.id);
}

function putScan(ctx: RequestContext, steps: Step[], scanId: string): void {
  const owner = ctx.resolver.one(steps);
  const experiment = owner.experiment;
  if (!experiment || !isA(experiment.xsiType, 'xnat:imageSessionData')) {
    throw new HttpError(404, 'Unable to identify image session');
  }
  if (!mayOn(ctx.user, 'edit', owner)) throw new HttpError(403, 'Insufficient create/edit privileges');
  const xsiType = ctx.query.get('xsiType');
  const existing = ctx.archive.scan(experiment.id, scanId);
  if (existing) {
    if (xsiType && xsiType.toLowerCase() !== existing.xsiType.toLowerCase()) {
      throw new HttpError(409, 'Specified xsiType differs from existing xsiType');
    }
    store(existing, fieldsFromQuery(ctx, 'scan', existing.xsiType));
    return sendText(ctx.res, 200, '');
  }
  if (!xsiType) throw new HttpError(417, 'Need PUT Contents');
  if (!isTypeName(xsiType) || !isA(xsiType, 'xnat:imageScanData')) throw new HttpError(400, `Unknown data type ${xsiType}`);
  if (xsiType.toLowerCase() === 'xnat:imagescandata')
    throw new HttpError(400, 'Multiple scan modalities are possible: specify a concrete xsiType');
  const values = fieldsFromQuery(ctx, 'scan', xsiType);
  if (!/^[\w.-]+$/.test(scanId)) throw new HttpError(417, 'Invalid character in scan ID.');
  store(ctx.archive.createScan({ experimentId: experiment.id, id: scanId, xsiType, fields: created(ctx.user.login) }), values);
  sendText(ctx.res, 200, '');
}

/**
 * PUT of an existing project's fields (`ProjectResource.handlePut`): the guest user is refused,
 * so is anyone who may not edit the project record (owners may); the answer is 200, empty.
 */
function putProject(ctx: RequestContext, id: string): void {
  if (!ctx.archive.projects.has(id)) throw new HttpError(405, 'Creating projects is not supported by the emulator');
  const project = ctx.resolver.project(id);
  if (ctx.user.login === 'guest' || !may(ctx.user, 'edit', 'project', project)) {
    throw new HttpError(403, `User ${ctx.user.login} doesn't have permission to edit the project ${id}`);
  }
  store(project, fieldsFromQuery(ctx, 'project', 'xnat:projectData'));
  sendText(ctx.res, 200, '');
}

/**
 * PUT of an image assessor of a session (`ExptAssessmentResource.handlePut`): an existing one
 * (by label in the project, or accession ID) takes the query's fields, 200 + ID; a new one needs
 * an assessor `xsiType` and create rights, 201 + ID.
 */
function putAssessor(ctx: RequestContext, steps: Step[], token: string): void {
  const owner = ctx.resolver.one(steps);
  const session = owner.experiment;
  if (!session || owner.kind !== 'experiment') throw new HttpError(404, 'Unable to find assessed experiment, no ID submitted or found.');
  const project = ctx.resolver.project(session.project);
  const existing = ctx.archive.assessorsOf(session.id).find((a) => a.label === token || a.id === token);
  if (existing) {
    if (!may(ctx.user, 'edit', 'data', project))
      throw new HttpError(403, 'Specified user account has insufficient edit privileges for subjects in this project.');
    store(existing, fieldsFromQuery(ctx, 'experiment', existing.xsiType));
    return sendText(ctx.res, 200, existing.id);
  }
  const xsiType = newType(ctx, 'xnat:imageAssessorData', 'Need POST Contents');
  if (!may(ctx.user, 'create', 'data', project))
    throw new HttpError(403, 'Specified user account has insufficient create privileges for subjects in this project.');
  createExperimentFrom(ctx, xsiType, () => ({
    project: session.project,
    subjectId: session.subjectId,
    sessionId: session.id,
    label: token,
  }));
}

/**
 * PUT of a reconstruction of a session (`ReconResource.handlePut`): the query's fields (RECON_DATA
 * shortcuts or `xnat:reconstructedImageData/…` paths) on an existing one, or a new one with the
 * URL's ID; both need edit rights on the session; the answer is 200, empty. `xsiType` may be
 * omitted (the item defaults to xnat:reconstructedImageData).
 */
function putReconstruction(ctx: RequestContext, steps: Step[], reconstructionId: string): void {
  const owner = ctx.resolver.one(steps);
  const session = owner.experiment;
  if (!session || owner.kind !== 'experiment' || !isA(session.xsiType, 'xnat:imageSessionData')) {
    throw new HttpError(404, "Specified image session doesn't exist.");
  }
  if (!mayOn(ctx.user, 'edit', owner)) {
    throw new HttpError(403, 'Specified user account has insufficient create privileges for sessions in this project.');
  }
  const xsiType = ctx.query.get('xsiType') ?? 'xnat:reconstructedImageData';
  if (!isA(xsiType, 'xnat:reconstructedImageData')) throw new HttpError(422, 'Only reconstruction documents can be PUT to this address.');
  const values = fieldsFromQuery(ctx, 'reconstruction', 'xnat:reconstructedImageData');
  const recon =
    ctx.archive.reconstruction(session.id, reconstructionId) ??
    ctx.archive.createReconstruction({ experimentId: session.id, id: reconstructionId, fields: {} });
  store(recon, values);
  sendText(ctx.res, 200, '');
}

/** PUT of a project's fields, or of a subject, experiment, scan or assessor (created when new). */
export function putObject(ctx: RequestContext, steps: Step[]): void {
  const target = steps[steps.length - 1]!;
  const projectStep = steps[0]?.level === 'projects' ? steps[0] : undefined;
  switch (target.level) {
    case 'subjects':
      if (!projectStep) {
        const owner = ownerOf(ctx.resolver.one(steps), 'subject');
        return putSubject(ctx, writableProject(ctx, owner.project.id), owner.subject.label);
      }
      return putSubject(ctx, writableProject(ctx, projectStep.id!), target.id!);
    case 'experiments': {
      if (!projectStep) {
        const owner = ownerOf(ctx.resolver.one(steps), 'experiment');
        return putExperiment(ctx, writableProject(ctx, owner.project.id), owner.subject?.id, owner.experiment.label);
      }
      const subjectStep = steps.find((s) => s.level === 'subjects');
      return putExperiment(ctx, writableProject(ctx, projectStep.id!), subjectStep?.id, target.id!);
    }
    case 'scans':
      return putScan(ctx, steps.slice(0, -1), target.id!);
    case 'assessors':
      return putAssessor(ctx, steps.slice(0, -1), target.id!);
    case 'reconstructions':
      return putReconstruction(ctx, steps.slice(0, -1), target.id!);
    case 'projects':
      return putProject(ctx, target.id!);
    default:
      throw new HttpError(405, 'Method not allowed');
  }
}

/** DELETE of a subject, experiment, scan, assessor or reconstruction, with its resources and files. */
export async function deleteObject(ctx: RequestContext, steps: Step[]): Promise<void> {
  const target = steps[steps.length - 1]!;
  if (target.level === 'projects') throw new HttpError(405, 'Deleting projects is not supported by the emulator');
  const owner = ctx.resolver.object(steps);
  if (!mayOn(ctx.user, 'delete', owner)) throw new HttpError(403, 'Insufficient delete privileges');
  if (owner.kind === 'scan') await ctx.archive.deleteScan(owner.experiment.id, owner.scan.id);
  else if (owner.kind === 'experiment') await ctx.archive.deleteExperiment(owner.experiment.id);
  else if (owner.kind === 'subject') await ctx.archive.deleteSubject(owner.subject.id);
  else if (owner.kind === 'assessor') await ctx.archive.deleteExperiment(owner.assessor.id);
  else if (owner.kind === 'reconstruction') await ctx.archive.deleteReconstruction(owner.experiment.id, owner.reconstruction.id);
  sendText(ctx.res, 200, '');
}
