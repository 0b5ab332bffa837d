import type { User } from '../auth.js';
import { isA } from '../datatypes.js';
import type { ExperimentRecord, ProjectRecord, SubjectRecord } from '../model.js';
import { canReadData, canReadItem, canSeeProject, may } from '../permissions.js';
import type { Query } from '../query.js';
import { HttpError } from '../responses.js';
import type { Owner, OwnerOf } from '../owners.js';
import { type Archive, isIn, labelIn } from '../store.js';
import type { RowContext } from './columns.js';
import { permittedProjects, projectRestriction } from './project-permissions.js';
import { queryOrganizerTable } from './query-organizer.js';
import type { Table } from './table.js';

/** What a listing needs to know about the request. */
export interface ListingRequest {
  archive: Archive;
  user: User;
  query: Query;
}

/** GET /data/projects: ProjectListResource's permissions handler when asked, else its default one. */
export function projectsTable({ archive, user, query }: ListingRequest): Table {
  const permitted = permittedProjects(archive.projects.values(), user, query);
  if (permitted) return permitted;
  const allowed = projectRestriction(user, query);
  return queryOrganizerTable(
    {
      family: 'project',
      defaultRoot: 'xnat:projectData',
      defaultColumns: () => ['ID', 'secondary_ID', 'name', 'description', 'pi_firstname', 'pi_lastname'],
      rows: () =>
        [...archive.projects.values()].filter((p) => canSeeProject(user, p) && (allowed?.(p) ?? true)).map((project) => ({ project })),
      uri: (row) => `/data/projects/${row.project!.id}`,
      // For non-admins the permission clause replaces the filter WHERE clause.
      filters: user.siteAdmin,
      paging: false,
    },
    query,
  );
}

/** Whether the user may read the subject or experiment (owned, or shared into a project they read). */
function readable(archive: Archive, user: User, record: SubjectRecord | ExperimentRecord): boolean {
  const sharedInto = (record.shares ?? []).flatMap((s) => archive.projects.get(s.project) ?? []);
  return canReadItem(user, archive.projects.get(record.project), sharedInto);
}

/**
 * The project-scoped listings first check that the user may read subjects owned by or shared
 * into the project (`Permissions.canRead` with both security values), else 403 — what a
 * protected project answers to a user without a role in it.
 */
function checkProjectData(user: User, project: ProjectRecord, what: string): void {
  if (!canReadData(user, project) && !may(user, 'read', 'shared', project)) {
    throw new HttpError(403, `Unable to read ${what} for Project: ${project.id}`);
  }
}

/**
 * GET /data/subjects (SubjectListResource: owning project only for `project=`) and
 * /data/projects/{p}/subjects (ProjectSubjectList: owned OR shared into p, a shared subject's
 * `label` replaced by its label in p; `project` stays the owning project).
 */
export function subjectsTable({ archive, user, query }: ListingRequest, owner: Owner | undefined): Table {
  const context = owner?.context ?? owner?.project;
  if (context) checkProjectData(user, context, 'subjects');
  else if (!user.siteAdmin && ![...archive.projects.values()].some((p) => canReadData(user, p))) {
    // SubjectListResource throws (500) when the user can read data in no project: none beyond
    // protected ones they have no role in.
    throw new HttpError(500, 'Unable to read subjects');
  }
  const subjects = context ? archive.subjectsIn(context.id) : [...archive.subjects.values()];
  return queryOrganizerTable(
    {
      family: 'subject',
      defaultRoot: 'xnat:subjectData',
      defaultColumns: () => ['ID', 'project', 'label', 'insert_date', 'insert_user'],
      rows: () =>
        subjects
          .filter((subject) => readable(archive, user, subject))
          .map((subject) => ({ project: archive.projects.get(subject.project)!, subject })),
      uri: (row) => `/data/subjects/${row.subject!.id}`,
      filters: true,
      paging: true,
      ...(context
        ? {
            relabel: (row: RowContext, cells: Record<string, string>) => {
              if ('label' in cells) cells.label = labelIn(row.subject!, context.id);
            },
          }
        : {}),
    },
    query,
  );
}

function scanRows(archive: Archive, row: RowContext): RowContext[] {
  const experiment = row.experiment;
  if (!experiment || !isA(experiment.xsiType, 'xnat:imageSessionData')) return [];
  return archive.scansOf(experiment.id).map((scan) => ({ ...row, scan }));
}

function reconstructionRows(archive: Archive, row: RowContext): RowContext[] {
  const experiment = row.experiment;
  if (!experiment || !isA(experiment.xsiType, 'xnat:imageSessionData')) return [];
  return archive.reconstructionsOf(experiment.id).map((reconstruction) => ({ ...row, reconstruction }));
}

/**
 * GET /data/experiments (ExperimentListResource) when `owner` is undefined, else the project or
 * project+subject listing (ProjSubExptList), whose root is subject assessors and has no title.
 * There a shared experiment's row shows its label in the project, its subject's label there and,
 * as `project`, the sharing project (ProjSubExptList rewrites these three cells after the query).
 */
export function experimentsTable({ archive, user, query }: ListingRequest, owner: Owner | undefined): Table {
  const siteWide = owner === undefined;
  const context = owner?.context ?? owner?.project;
  if (context) checkProjectData(user, context, 'experiments');
  const experiments: ExperimentRecord[] = (
    context ? archive.experimentsIn(context.id, owner?.subject?.id) : [...archive.experiments.values()]
  ).filter((e) => readable(archive, user, e));
  const relabel = (row: RowContext, cells: Record<string, string>) => {
    const experiment = row.experiment!;
    if (!context || !('label' in cells) || experiment.project === context.id || !isIn(experiment, context.id)) return;
    cells.label = labelIn(experiment, context.id);
    if ('subject_label' in cells && row.subject && isIn(row.subject, context.id)) cells.subject_label = labelIn(row.subject, context.id);
    if ('project' in cells) cells.project = context.id;
  };
  return queryOrganizerTable(
    {
      family: 'experiment',
      defaultRoot: siteWide ? 'xnat:experimentData' : 'xnat:subjectAssessorData',
      defaultColumns: (root) => [
        'ID',
        'project',
        'date',
        'xsiType',
        'label',
        'insert_date',
        ...(siteWide && isA(root, 'xnat:subjectAssessorData') ? ['subject_ID', 'subject_label'] : []),
      ],
      rows: () =>
        experiments.map((experiment) => {
          const project = archive.projects.get(experiment.project);
          const subject = archive.subjects.get(experiment.subjectId);
          const session = experiment.sessionId === undefined ? undefined : archive.experiments.get(experiment.sessionId);
          return { experiment, ...(project ? { project } : {}), ...(subject ? { subject } : {}), ...(session ? { session } : {}) };
        }),
      uri: (row) => `/data/experiments/${row.experiment!.id}`,
      filters: true,
      paging: true,
      ...(siteWide ? { title: 'Matching experiments' } : { relabel }),
      childrenOf: { scan: (row) => scanRows(archive, row), reconstruction: (row) => reconstructionRows(archive, row) },
      resourcesOf: (row) =>
        archive
          .resourcesOf(
            row.reconstruction
              ? { kind: 'reconstruction', experimentId: row.experiment!.id, reconstructionId: row.reconstruction.id }
              : { kind: 'scan', experimentId: row.experiment!.id, scanId: row.scan!.id },
          )
          .map((resource) => ({ ...row, resource })),
    },
    query,
  );
}

/** GET …/experiments/{e}/scans (ScanList): filters are ignored, `xsiType` still selects. */
export function scansTable({ archive, query }: ListingRequest, owner: OwnerOf<'experiment'>): Table {
  const experiment = owner.experiment;
  if (!isA(experiment.xsiType, 'xnat:imageSessionData')) {
    throw new HttpError(404, `Unable to identify image session ${experiment.id}`);
  }
  return queryOrganizerTable(
    {
      family: 'scan',
      defaultRoot: 'xnat:imageScanData',
      defaultColumns: () => ['xnat_imagescandata_id', 'ID', 'type', 'quality', 'xsiType', 'note', 'series_description'],
      rows: () => scanRows(archive, { ...owner, scan: undefined }),
      uri: (row) => `/data/experiments/${experiment.id}/scans/${row.scan!.id}`,
      filters: false,
      paging: false,
    },
    query,
  );
}

/**
 * GET …/experiments/{e}/assessors (ProjSubExptAsstList): every image assessor of the session the
 * user may read (owned by a project they read, or shared into one), whichever project the URL
 * went through, rooted at xnat:imageAssessorData, no title. `project` and `label` stay the
 * owner's: the list's share-label rewrite looks for a column named `<root>/ID`, which
 * formatHeaders has already renamed `ID` (read from the source, not seen on a live XNAT).
 */
export function assessorsTable({ archive, user, query }: ListingRequest, owner: OwnerOf<'experiment'>): Table {
  const session = owner.experiment;
  return queryOrganizerTable(
    {
      family: 'experiment',
      defaultRoot: 'xnat:imageAssessorData',
      defaultColumns: (root) => [
        'ID',
        'project',
        'label',
        'date',
        'xsiType',
        'insert_date',
        ...(isA(root, 'xnat:imageAssessorData') ? ['session_ID', 'session_label'] : []),
      ],
      rows: () =>
        archive
          .assessorsOf(session.id)
          .filter((assessor) => readable(archive, user, assessor))
          .map((assessor) => ({ experiment: assessor, session, project: archive.projects.get(assessor.project)! })),
      uri: (row) => `/data/experiments/${row.experiment!.id}`,
      filters: true,
      paging: false,
    },
    query,
  );
}

/**
 * GET …/experiments/{e}/reconstructions (ReconList): the session's reconstructions, rooted at
 * xnat:reconstructedImageData (its RECON_DATA shortcuts), default columns
 * `xnat_reconstructedimagedata_id,ID,type,baseScanType`, URI `/data/experiments/{session}/reconstructions/{ID}`,
 * no title. The WHERE clause is replaced by the session's, so filters do nothing.
 */
export function reconstructionsTable({ archive, query }: ListingRequest, owner: OwnerOf<'experiment'>): Table {
  const session = owner.experiment;
  if (!isA(session.xsiType, 'xnat:imageSessionData')) throw new HttpError(404, `Unable to identify image session ${session.id}`);
  return queryOrganizerTable(
    {
      family: 'reconstruction',
      defaultRoot: 'xnat:reconstructedImageData',
      defaultColumns: () => ['xnat_reconstructedimagedata_id', 'ID', 'type', 'baseScanType'],
      rows: () => reconstructionRows(archive, { experiment: session }),
      uri: (row) => `/data/experiments/${session.id}/reconstructions/${row.reconstruction!.id}`,
      filters: false,
      paging: false,
    },
    query,
  );
}
