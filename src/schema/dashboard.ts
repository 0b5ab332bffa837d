import type { GatewayContext } from '../context.js';
import type { Project } from '../loaders/models.js';
import { byText } from '../loaders/options.js';
import type { ScanSummaryRow } from '../xnat/dashboard.js';
import type { ExperimentFilter } from '../loaders/filters.js';
import { builder, listConnection } from './builder.js';
import { ExperimentConnection, ExperimentInterface } from './experiment.js';
import { ExperimentFilterInput, ScanFilterInput } from './filters.js';
import { experimentOrder, ORDER_BY_DESCRIPTION, scanOrder } from './ordering.js';
import { ProjectType } from './project.js';
import { ScanConnection, ScanType } from './scan.js';

/** The projects a stats object aggregates over, and which experiments count; every figure is loaded only when asked. */
interface StatsScope {
  projects: () => Promise<string[]>;
  filter: ExperimentFilter | null;
}

const hasFilter = (scope: StatsScope): scope is StatsScope & { filter: ExperimentFilter } =>
  scope.filter !== null && Object.keys(scope.filter).length > 0;

interface Count {
  key: string | null;
  count: number;
}

interface ModalityMonthCount {
  modality: string | null;
  month: string;
  count: number;
}

const CountType = builder.objectRef<Count>('Count').implement({
  description: 'How many items share a key.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: 'null for items without a value.' }),
    count: t.exposeInt('count'),
  }),
});

const ModalityMonthCountType = builder.objectRef<ModalityMonthCount>('ModalityMonthCount').implement({
  description: 'Imaging sessions of one modality in one month.',
  fields: (t) => ({
    modality: t.exposeString('modality', { nullable: true }),
    month: t.exposeString('month', { description: 'YYYY-MM of the session date.' }),
    count: t.exposeInt('count'),
  }),
});

async function perProject<T>(scope: StatsScope, load: (project: string) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all((await scope.projects()).map(load))).flat();
}

/** Image sessions (one entry each) and scans of the scope, from the scan summary listing. */
async function sessionsOf(scope: StatsScope, ctx: GatewayContext): Promise<{ sessions: ScanSummaryRow[]; scans: ScanSummaryRow[] }> {
  const rows = await perProject(scope, (p) => ctx.dashboard.scanSummaryOf(p, scope.filter));
  const sessions = new Map<string, ScanSummaryRow>();
  for (const row of rows) if (!sessions.has(row.sessionId)) sessions.set(row.sessionId, row);
  return { sessions: [...sessions.values()], scans: rows.filter((r) => r.scanId !== null) };
}

function countBy<T>(items: readonly T[], key: (item: T) => string | null): Count[] {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => byText(a.key ?? '\uffff', b.key ?? '\uffff'));
}

const STATS_FILTER =
  'Count only the experiments that match, and their scans and subjects; pushed into the same listings (owning projects only, shared experiments do not count).';

const month = (row: ScanSummaryRow) => row.date?.slice(0, 7) ?? null;

const StatsType = builder.objectRef<StatsScope>('ArchiveStats').implement({
  description:
    'Counts over one project or all visible projects. Subjects come from the subject listing, experiments from the experiment listing, ' +
    'and everything about imaging sessions and scans from ONE scan-column join of `/data/experiments` for all projects of the request ' +
    '(`xsiType=xnat:imageSessionData&project=P1,P2&columns=ID,project,date,modality,xnat:imageScanData/ID,xnat:imageScanData/type`). ' +
    'Subject and experiment counts include those shared into the project; session and scan counts are by owning project.',
  fields: (t) => ({
    subjectCount: t.int({
      description: 'Subjects; with a filter, the subjects that have a matching experiment.',
      resolve: async (s, _a, ctx) =>
        hasFilter(s)
          ? new Set((await perProject(s, (p) => ctx.dashboard.experimentsOfProjectWhere(p, s.filter))).map((e) => e.subjectId)).size
          : (await perProject(s, (p) => ctx.loaders.subjects.subjectsOf(p))).length,
    }),
    experimentCount: t.int({
      description: 'All experiments, imaging sessions or not (with a filter, the matching ones).',
      resolve: async (s, _a, ctx) =>
        (
          await perProject(s, (p) =>
            hasFilter(s) ? ctx.dashboard.experimentsOfProjectWhere(p, s.filter) : ctx.loaders.experiments.experimentsOfProject(p),
          )
        ).length,
    }),
    sessionCount: t.int({ description: 'Imaging sessions.', resolve: async (s, _a, ctx) => (await sessionsOf(s, ctx)).sessions.length }),
    scanCount: t.int({ resolve: async (s, _a, ctx) => (await sessionsOf(s, ctx)).scans.length }),
    byModality: t.field({
      type: [CountType],
      description: 'Imaging sessions per session modality.',
      resolve: async (s, _a, ctx) => countBy((await sessionsOf(s, ctx)).sessions, (r) => r.modality),
    }),
    byScanType: t.field({
      type: [CountType],
      description: 'Scans per scan type.',
      resolve: async (s, _a, ctx) => countBy((await sessionsOf(s, ctx)).scans, (r) => r.scanType),
    }),
    byMonth: t.field({
      type: [CountType],
      description: 'Imaging sessions per month (YYYY-MM of the session date; key null for undated sessions).',
      resolve: async (s, _a, ctx) => countBy((await sessionsOf(s, ctx)).sessions, month),
    }),
    qcResults: t.field({
      type: [CountType],
      description:
        'Manual QC assessments (xnat:qcManualAssessorData) per value of their `pass` field, e.g. pass and fail (key null when unset), by owning project: ' +
        'one `/data/experiments?xsiType=xnat:qcManualAssessorData&project=P1,P2&columns=ID,project,xnat:qcManualAssessorData/pass` for all projects of the request; a `filter` of the stats does not narrow them.',
      resolve: async (s, _a, ctx) => countBy(await perProject(s, (p) => ctx.dashboard.qcResultsOf(p)), (r) => r.result),
    }),
    sessionsByModalityAndMonth: t.field({
      type: [ModalityMonthCountType],
      description: 'Imaging sessions per modality and month (dated sessions only), sorted by month then modality.',
      resolve: async (s, _a, ctx) => {
        const counts = new Map<string, ModalityMonthCount>();
        for (const row of (await sessionsOf(s, ctx)).sessions) {
          const m = month(row);
          if (m === null) continue;
          const key = JSON.stringify([m, row.modality]);
          const entry = counts.get(key) ?? { modality: row.modality, month: m, count: 0 };
          entry.count += 1;
          counts.set(key, entry);
        }
        return [...counts.values()].sort((a, b) => byText(a.month, b.month) || byText(a.modality ?? '', b.modality ?? ''));
      },
    }),
  }),
});

const ProjectRoleEnum = builder.enumType('ProjectRole', {
  description: "A user's role in an XNAT project.",
  values: {
    OWNER: { description: 'Owners read, write and delete the project and its data.' },
    MEMBER: { description: 'Members read the project and read and write its data, but do not delete it.' },
    COLLABORATOR: { description: 'Collaborators read the project and its data.' },
  } as const,
});

builder.objectFields(ProjectType, (t) => ({
  stats: t.field({
    type: StatsType,
    description:
      'Counts of the project; the figures of all projects of one request (with the same filter) share the same few XNAT requests.',
    args: { filter: t.arg({ type: ExperimentFilterInput, required: false, description: STATS_FILTER }) },
    resolve: (p: Project, args) => ({ projects: async () => [p.id], filter: args.filter ?? null }),
  }),
  viewerRole: t.field({
    type: ProjectRoleEnum,
    nullable: true,
    description:
      "The caller's role in the project (XNAT's `{project}_owner|member|collaborator` groups, from `GET /xapi/users/{username}/groups`: one request per GraphQL request for all projects); null without one (site administrators included, unless also in a project group).",
    resolve: async (p, _a, ctx) => (await ctx.dashboard.access(p.id)).role,
  }),
  viewerCanEdit: t.boolean({
    description:
      "Whether the caller may create and edit the project's own subjects, sessions, scans and their resources and files: owners, members and site administrators (`ALL_DATA_ADMIN`), under XNAT's default project permissions. Resources on the project itself are owners' (and administrators') only; data shared into the project is read-only there.",
    resolve: async (p, _a, ctx) => (await ctx.dashboard.access(p.id)).canEdit,
  }),
  viewerCanDelete: t.boolean({
    description:
      "Whether the caller may delete the project's own data: owners and site administrators, under XNAT's default project permissions.",
    resolve: async (p, _a, ctx) => (await ctx.dashboard.access(p.id)).canDelete,
  }),
}));

builder.queryFields((t) => ({
  stats: t.field({
    type: StatsType,
    description: 'Counts over every project the caller can read.',
    args: { filter: t.arg({ type: ExperimentFilterInput, required: false, description: STATS_FILTER }) },
    resolve: (_root, args, ctx) => ({
      projects: async () => (await ctx.loaders.projects.projects()).map((p) => p.id),
      filter: args.filter ?? null,
    }),
  }),
  experiments: t.connection(
    {
      type: ExperimentInterface,
      nullable: true,
      description:
        'Experiments across all readable projects from ONE `/data/experiments` listing (owning projects only), the filter pushed into its query parameters and refined by the gateway.',
      args: {
        filter: t.arg({ type: ExperimentFilterInput, required: false }),
        orderBy: t.arg({ type: [experimentOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) =>
        listConnection(args, experimentOrder.sort(await ctx.dashboard.experimentsWhere(args.filter), args.orderBy)),
    },
    ExperimentConnection,
  ),
  scans: t.connection(
    {
      type: ScanType,
      nullable: true,
      description:
        'Scans across all readable imaging sessions from ONE scan-column join of `/data/experiments` (XFT/search/QueryOrganizer.java, docs/xnat-conformance.md); both filters are pushed into its query parameters and refined by the gateway.',
      args: {
        filter: t.arg({ type: ScanFilterInput, required: false }),
        experiments: t.arg({ type: ExperimentFilterInput, required: false, description: 'Which sessions to look in.' }),
        orderBy: t.arg({ type: [scanOrder.input], required: false, description: ORDER_BY_DESCRIPTION }),
      },
      resolve: async (_root, args, ctx) =>
        listConnection(args, scanOrder.sort(await ctx.dashboard.scansWhere(args.filter, args.experiments), args.orderBy)),
    },
    ScanConnection,
  ),
}));
