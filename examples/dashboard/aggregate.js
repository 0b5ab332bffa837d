// Pure functions turning the dashboard query's per-project figures into chart series. No DOM
// here, so the unit tests import this file as it is served.

/** 'YYYY-MM' of the month after `month`. */
export function nextMonth(month) {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last` inclusive ('YYYY-MM'). */
export function monthRange(first, last) {
  const months = [];
  for (let m = first; m <= last; m = nextMonth(m)) months.push(m);
  return months;
}

const NONE = '(none)';

/** Series keyed by name, each with one number per axis position, sorted by name. */
function series(perKey) {
  return [...perKey].sort(([a], [b]) => a.localeCompare(b)).map(([key, counts]) => ({ key, counts }));
}

/**
 * Sessions per month and modality on a continuous month axis, so months without sessions show as
 * zero: `{ months, series: [{ key: modality, counts: one per month }] }`. `counts` are
 * `sessionsByModalityAndMonth` entries of any number of projects; the axis spans them, widened
 * to the filter's date bounds when given.
 */
export function sessionsPerMonth(counts, bounds = {}) {
  const months = counts.map((c) => c.month).sort();
  const first = [bounds.from?.slice(0, 7), months[0]].filter(Boolean).sort()[0];
  const last = [bounds.to?.slice(0, 7), months.at(-1)].filter(Boolean).sort().at(-1);
  const axis = first && last ? monthRange(first, last) : [];
  const index = new Map(axis.map((m, i) => [m, i]));
  const perModality = new Map();
  for (const c of counts) {
    const key = c.modality ?? NONE;
    if (!perModality.has(key))
      perModality.set(
        key,
        axis.map(() => 0),
      );
    perModality.get(key)[index.get(c.month)] += c.count;
  }
  return { months: axis, series: series(perModality) };
}

/** Scans per type per project: `{ projects: labels, series: [{ key: type, counts: one per project }] }`. */
export function scansByTypePerProject(projects) {
  const perType = new Map();
  projects.forEach((p, i) => {
    for (const c of p.stats.byScanType) {
      const key = c.key ?? NONE;
      if (!perType.has(key))
        perType.set(
          key,
          projects.map(() => 0),
        );
      perType.get(key)[i] += c.count;
    }
  });
  return { projects: projects.map((p) => p.label), series: series(perType) };
}

/** The sums of a figure over projects. */
export function total(projects, figure) {
  return projects.reduce((n, p) => n + p.stats[figure], 0);
}

/** The ExperimentFilter of the form's choices (empty choices leave a condition out). */
export function experimentFilter({ project, modality, from, to }) {
  const filter = {};
  if (project) filter.projects = [project];
  if (modality) filter.modalities = [modality];
  if (from) filter.dateFrom = from;
  if (to) filter.dateTo = to;
  return filter;
}
