import type { Dataset } from '../model.js';
import { benchDataset, DEFAULT_BENCH_SCALE, MAX_BENCH_SCALE } from './bench.js';
import { demoDataset } from './demo.js';
import { MAX_SITE_SCALE, siteDataset } from './site.js';

export { benchDataset } from './bench.js';
export { demoDataset } from './demo.js';

export function emptyDataset(): Dataset {
  return { projects: [], subjects: [], experiments: [], scans: [], resources: [], files: [] };
}

/**
 * Builds a named dataset: `demo`, `empty`, `bench` (= bench:10), `bench:SCALE` or `site:SCALE`
 * (real-archive shape, datasets/site.ts). The same name gives the same records and bytes on every call.
 */
export function loadDataset(name: string): Dataset {
  if (name === 'demo') return demoDataset();
  if (name === 'empty') return emptyDataset();
  if (name === 'bench') return benchDataset(DEFAULT_BENCH_SCALE);
  const bench = /^bench:(\d+)$/.exec(name);
  if (bench) {
    const scale = Number(bench[1]);
    if (scale < 1 || scale > MAX_BENCH_SCALE) {
      throw new Error(`Dataset "${name}": SCALE must be from 1 to ${MAX_BENCH_SCALE}.`);
    }
    return benchDataset(scale);
  }
  const site = /^site:(\d+)$/.exec(name);
  if (site) {
    const scale = Number(site[1]);
    if (scale < 1 || scale > MAX_SITE_SCALE) throw new Error(`Dataset "${name}": SCALE must be from 1 to ${MAX_SITE_SCALE}.`);
    return siteDataset(scale);
  }
  throw new Error(`Unknown dataset "${name}": expected demo, empty, bench, bench:SCALE (e.g. bench:10) or site:SCALE (e.g. site:5).`);
}

export interface DatasetSummary {
  projects: number;
  subjects: number;
  experiments: number;
  /** Image assessors, not counted in `experiments`. */
  assessors: number;
  scans: number;
  resources: number;
  files: number;
}

/** Record counts, overall and per project (resources and files of every level under it). */
export function summarizeDataset(dataset: Dataset): DatasetSummary & { perProject: Record<string, DatasetSummary> } {
  const experimentProject = new Map(dataset.experiments.map((e) => [e.id, e.project]));
  const assessorProject = new Map((dataset.assessors ?? []).map((a) => [a.id, a.project]));
  const subjectProject = new Map(dataset.subjects.map((s) => [s.id, s.project]));
  const resourceProject = new Map<number, string>();
  const perProject: Record<string, DatasetSummary> = {};
  const row = (project: string | undefined): DatasetSummary => {
    const key = project ?? '?';
    return (perProject[key] ??= { projects: 0, subjects: 0, experiments: 0, assessors: 0, scans: 0, resources: 0, files: 0 });
  };
  for (const p of dataset.projects) row(p.id).projects++;
  for (const s of dataset.subjects) row(s.project).subjects++;
  for (const e of dataset.experiments) row(e.project).experiments++;
  for (const a of dataset.assessors ?? []) row(a.project).assessors++;
  for (const s of dataset.scans) row(experimentProject.get(s.experimentId)).scans++;
  for (const r of dataset.resources) {
    const parent = r.parent;
    const project =
      parent.kind === 'project'
        ? parent.project
        : parent.kind === 'subject'
          ? subjectProject.get(parent.subjectId)
          : parent.kind === 'assessor'
            ? assessorProject.get(parent.assessorId)
            : // scans and reconstructions: their session's project
              experimentProject.get(parent.experimentId);
    if (project) resourceProject.set(r.dbId, project);
    row(project).resources++;
  }
  for (const f of dataset.files) row(resourceProject.get(f.resourceDbId)).files++;
  for (const s of dataset.series ?? []) row(resourceProject.get(s.resourceDbId)).files += s.count;
  return {
    projects: dataset.projects.length,
    subjects: dataset.subjects.length,
    experiments: dataset.experiments.length,
    assessors: (dataset.assessors ?? []).length,
    scans: dataset.scans.length,
    resources: dataset.resources.length,
    files: dataset.files.length + (dataset.series ?? []).reduce((n, s) => n + s.count, 0),
    perProject,
  };
}
