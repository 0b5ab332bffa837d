import type { GatewayContext } from '../context.js';
import type { ExperimentFilter } from '../loaders/filters.js';
import { byText } from '../loaders/options.js';
import type { ScanSummaryRow } from '../loaders/stats.js';
import { builder } from './builder.js';
import { ExperimentFilterInput } from './filters.js';

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
  const rows = await perProject(scope, (p) => ctx.loaders.stats.scanSummaryOf(p, scope.filter));
  const sessions = new Map<string, ScanSummaryRow>();
  for (const row of rows) if (!sessions.has(row.sessionId)) sessions.set(row.sessionId, row);
  return { sessions: [...sessions.values()], scans: rows.filter((r) => r.scanId !== null) };
}

function countBy<T>(items: readonly T[], key: (item: T) => string | null): Count[] {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => byText(a.key ?? '\uffff', b.key ?? '\uffff'));
}

export const STATS_FILTER =
  'Count only the experiments that match, and their scans and subjects; pushed into the same listings (owning projects only, shared experiments do not count).';

const month = (row: ScanSummaryRow) => row.date?.slice(0, 7) ?? null;

export const StatsType = builder.objectRef<StatsScope>('ArchiveStats').implement({
  description:
    'Counts over one project or all visible projects. Subject and experiment counts are those of `Project.subjects` and `Project.experiments` ' +
    '(shared ones included); session and scan counts are by owning project. The figures of every project of one request share one ' +
    'request to XNAT per kind of figure.',
  fields: (t) => ({
    subjectCount: t.int({
      description: 'Subjects; with a filter, the subjects that have a matching experiment.',
      resolve: async (s, _a, ctx) =>
        hasFilter(s)
          ? new Set((await perProject(s, (p) => ctx.loaders.experiments.experimentsOfProject(p, s.filter))).map((e) => e.subjectId)).size
          : (await perProject(s, (p) => ctx.loaders.subjects.subjectsOf(p))).length,
    }),
    experimentCount: t.int({
      description: 'All experiments, imaging sessions or not (with a filter, the matching ones).',
      resolve: async (s, _a, ctx) =>
        (await perProject(s, (p) => ctx.loaders.experiments.experimentsOfProject(p, hasFilter(s) ? s.filter : null))).length,
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
        'Manual QC assessments (assessors of type xnat:qcManualAssessorData) per value of their `pass` field, e.g. pass and fail (key null when unset), ' +
        'by owning project; a `filter` of the stats does not narrow them.',
      resolve: async (s, _a, ctx) => countBy(await perProject(s, (p) => ctx.loaders.stats.qcResultsOf(p)), (r) => r.result),
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
}));
