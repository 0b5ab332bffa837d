import { DATE_FIELDS, type Family, familyOf, isA, isTypeName, SHORTCUTS, shortcutForField, shortcutForPath } from '../datatypes.js';
import { usDateToIso } from '../listings/filters.js';
import type { Fields, ProjectRecord, SubjectRecord } from '../model.js';
import { ownerOf } from '../owners.js';
import { may, mayOn } from '../permissions.js';
import { HttpError, sendText } from '../responses.js';
import { timestampText } from '../store.js';
import type { RequestContext } from './context.js';
import type { Step } from './path.js';

/** Shortcuts that name the object itself; a PUT never rewrites them from the query. */
const IDENTITY = new Set(['ID', 'project', 'label', 'subject_ID', 'xsiType']);

/**
 * Field values a PUT sets from its query: writable shortcuts of the family and xpaths of its
 * types (read-only shortcuts are ignored, as loadItem ignores them).
 */
function fieldsFromQuery(ctx: RequestContext, family: Family): Fields {
  const fields: Fields = {};
  for (const [param, value] of ctx.query.entries()) {
    let name: string | undefined;
    if (param.includes('/')) {
      const type = param.slice(0, param.indexOf('/'));
      if (!isTypeName(type) || familyOf(type) !== family) continue;
      name = shortcutForPath(family, param) ?? shortcutForField(family, param.slice(param.indexOf('/') + 1)) ?? param.split('/').pop();
    } else if (SHORTCUTS[family].has(param)) {
      name = param;
    }
    if (!name || IDENTITY.has(name) || SHORTCUTS[family].get(name)?.readOnly) continue;
    fields[name] = DATE_FIELDS.has(name) ? (usDateToIso(value) ?? value) : value;
  }
  return fields;
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
  const fields = fieldsFromQuery(ctx, 'subject');
  const existing = ctx.archive.findSubject(project.id, token);
  if (existing) {
    Object.assign(existing.fields, fields);
    return sendText(ctx.res, 200, existing.id);
  }
  const subject = ctx.archive.createSubject(project.id, token, { ...created(ctx.user.login), ...fields });
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
  const fields = fieldsFromQuery(ctx, 'experiment');
  const known = subjectToken === undefined ? undefined : ctx.archive.findSubject(project.id, subjectToken);
  const existing = ctx.archive.findExperiment(project.id, known?.id, token);
  if (existing) {
    Object.assign(existing.fields, fields);
    return sendText(ctx.res, 200, existing.id);
  }
  const xsiType = ctx.query.get('xsiType');
  if (!xsiType) throw new HttpError(417, 'Need PUT Contents');
  if (!isTypeName(xsiType) || !isA(xsiType, 'xnat:subjectAssessorData')) throw new HttpError(400, `Unknown data type ${xsiType}`);
  const subject = known ?? subjectFor(ctx, project, subjectToken ?? ctx.query.get('subject_ID'));
  const experiment = ctx.archive.createExperiment({
    project: project.id,
    subjectId: subject.id,
    label: token,
    xsiType,
    fields: { ...created(ctx.user.login), ...fields },
  });
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
  const fields = fieldsFromQuery(ctx, 'scan');
  const existing = ctx.archive.scan(experiment.id, scanId);
  if (existing) {
    if (xsiType && xsiType.toLowerCase() !== existing.xsiType.toLowerCase()) {
      throw new HttpError(409, 'Specified xsiType differs from existing xsiType');
    }
    Object.assign(existing.fields, fields);
    return sendText(ctx.res, 200, '');
  }
  if (!xsiType) throw new HttpError(417, 'Need PUT Contents');
  if (!isTypeName(xsiType) || !isA(xsiType, 'xnat:imageScanData')) throw new HttpError(400, `Unknown data type ${xsiType}`);
  if (xsiType.toLowerCase() === 'xnat:imagescandata')
    throw new HttpError(400, 'Multiple scan modalities are possible: specify a concrete xsiType');
  if (!/^[\w.-]+$/.test(scanId)) throw new HttpError(417, 'Invalid character in scan ID.');
  ctx.archive.createScan({ experimentId: experiment.id, id: scanId, xsiType, fields: { ...created(ctx.user.login), ...fields } });
  sendText(ctx.res, 200, '');
}

/** PUT of a subject, experiment or scan (projects are created through XNAT's admin UI here). */
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
    default:
      throw new HttpError(405, 'Creating projects is not supported by the emulator');
  }
}

/** DELETE of a subject, experiment, scan or assessor, with its resources and files. */
export async function deleteObject(ctx: RequestContext, steps: Step[]): Promise<void> {
  const target = steps[steps.length - 1]!;
  if (target.level === 'projects') throw new HttpError(405, 'Deleting projects is not supported by the emulator');
  const owner = ctx.resolver.one(steps);
  if (!mayOn(ctx.user, 'delete', owner)) throw new HttpError(403, 'Insufficient delete privileges');
  if (owner.kind === 'scan') await ctx.archive.deleteScan(owner.experiment.id, owner.scan.id);
  else if (owner.kind === 'experiment') await ctx.archive.deleteExperiment(owner.experiment.id);
  else if (owner.kind === 'subject') await ctx.archive.deleteSubject(owner.subject.id);
  else if (owner.kind === 'assessor') await ctx.archive.deleteExperiment(owner.assessor.id);
  sendText(ctx.res, 200, '');
}
