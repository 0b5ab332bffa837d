import type { User } from '../auth.js';
import { isA } from '../datatypes.js';
import type { ExperimentRecord } from '../model.js';
import { canRead } from '../permissions.js';
import type { Query } from '../query.js';
import { HttpError } from '../responses.js';
import type { Owner } from '../routes/resolve.js';
import type { Archive } from '../store.js';
import type { RowContext } from './columns.js';
import { projectPermissionFilter } from './project-permissions.js';
import { queryOrganizerTable } from './query-organizer.js';
import type { Table } from './table.js';

/** What a listing needs to know about the request. */
export interface ListingRequest {
  archive: Archive;
  user: User;
  query: Query;
}

/** GET /data/projects (ProjectListResource's default handler). */
export function projectsTable({ archive, user, query }: ListingRequest): Table {
  const allowed = projectPermissionFilter(user, query);
  return queryOrganizerTable(
    {
      family: 'project',
      defaultRoot: 'xnat:projectData',
      defaultColumns: () => ['ID', 'secondary_ID', 'name', 'description', 'pi_firstname', 'pi_lastname'],
      rows: () => [...archive.projects.values()].filter((p) => canRead(user, p) && (allowed?.(p) ?? true)).map((project) => ({ project })),
      uri: (row) => `/data/projects/${row.project!.id}`,
      // For non-admins the permission clause replaces the filter WHERE clause.
      filters: user.siteAdmin,
      paging: false,
    },
    query,
  );
}

/** GET /data/subjects and /data/projects/{p}/subjects. */
export function subjectsTable({ archive, user, query }: ListingRequest, owner: Owner | undefined): Table {
  const readable = [...archive.projects.values()].filter((p) => canRead(user, p));
  if (!owner && !user.siteAdmin && readable.length === 0) {
    // SubjectListResource throws when a user without all-data access can read no project.
    throw new HttpError(500, 'Unable to read subjects');
  }
  const projects = owner ? [owner.project] : readable;
  return queryOrganizerTable(
    {
      family: 'subject',
      defaultRoot: 'xnat:subjectData',
      defaultColumns: () => ['ID', 'project', 'label', 'insert_date', 'insert_user'],
      rows: () =>
        projects.flatMap((project) => archive.subjectsOf(project.id).map((subject) => ({ project, subject }))),
      uri: (row) => `/data/subjects/${row.subject!.id}`,
      filters: true,
      paging: true,
    },
    query,
  );
}

function scanRows(archive: Archive, row: RowContext): RowContext[] {
  const experiment = row.experiment;
  if (!experiment || !isA(experiment.xsiType, 'xnat:imageSessionData')) return [];
  return archive.scansOf(experiment.id).map((scan) => ({ ...row, scan }));
}

/**
 * GET /data/experiments (ExperimentListResource) when `owner` is undefined, else the project or
 * project+subject listing (ProjSubExptList), whose root is subject assessors and has no title.
 */
export function experimentsTable({ archive, user, query }: ListingRequest, owner: Owner | undefined): Table {
  const siteWide = owner === undefined;
  let experiments: ExperimentRecord[];
  if (owner) {
    experiments = archive.experimentsOf({
      project: owner.project.id,
      ...(owner.subject ? { subjectId: owner.subject.id } : {}),
    });
  } else {
    experiments = [...archive.experiments.values()].filter((e) => {
      const project = archive.projects.get(e.project);
      return project !== undefined && canRead(user, project);
    });
  }
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
          return { experiment, ...(project ? { project } : {}), ...(subject ? { subject } : {}) };
        }),
      uri: (row) => `/data/experiments/${row.experiment!.id}`,
      filters: true,
      paging: true,
      ...(siteWide ? { title: 'Matching experiments' } : {}),
      scansOf: (row) => scanRows(archive, row),
      resourcesOf: (row) =>
        archive.resourcesOf({ kind: 'scan', experimentId: row.experiment!.id, scanId: row.scan!.id }).map((resource) => ({ ...row, resource })),
    },
    query,
  );
}

/** GET …/experiments/{e}/scans (ScanList): filters are ignored, `xsiType` still selects. */
export function scansTable({ archive, query }: ListingRequest, owner: Owner): Table {
  const experiment = owner.experiment!;
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
