import { badUserInput } from '../errors.js';
import type { ExperimentPushdown, ScanPushdown } from '../xnat/search.js';
import type { Experiment, Scan, Subject } from './models.js';
import { wildcardMatcher } from './wildcard.js';

/**
 * Filters of the dashboard fields, in domain terms. The gateway always applies them to what it
 * serves; `pushdownOf*` says what of them XNAT can be asked to do first (a superset answer).
 */

export interface LabelPattern {
  /** Without `*`: exact, case-sensitive. With `*`: `*` matches any run, case-insensitive, whole label. */
  label?: string | null;
}

export interface ExperimentFilter extends LabelPattern {
  projects?: readonly string[] | null;
  xsiTypes?: readonly string[] | null;
  modalities?: readonly string[] | null;
  dateFrom?: string | null;
  dateTo?: string | null;
}

export interface ScanFilter {
  types?: readonly string[] | null;
  qualities?: readonly string[] | null;
}

export type SubjectFilter = LabelPattern;

/** Longest label pattern accepted: labels are short, and a pattern costs time per listed row. */
export const maxLabelPatternLength = 200;

function labelMatcher(pattern: string | null | undefined): (label: string) => boolean {
  if (pattern == null) return () => true;
  if (pattern.length > maxLabelPatternLength) throw badUserInput(`A label pattern is at most ${maxLabelPatternLength} characters.`);
  if (!pattern.includes('*')) return (label) => label === pattern;
  return wildcardMatcher(pattern, { ignoreCase: true });
}

const anyOf = (values: readonly string[] | null | undefined) => (value: string | null) =>
  values == null || (value !== null && values.includes(value));

/** The part of an experiment filter that needs no modality (modality comes from another listing). */
export function experimentMatcher(
  filter: ExperimentFilter | null | undefined,
): (e: Pick<Experiment, 'project' | 'xsiType' | 'label' | 'date'>) => boolean {
  if (!filter) return () => true;
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) throw badUserInput('dateFrom is after dateTo.');
  const label = labelMatcher(filter.label);
  const project = anyOf(filter.projects);
  const xsiType = filter.xsiTypes == null ? () => true : (t: string) => filter.xsiTypes!.some((x) => x.toLowerCase() === t.toLowerCase());
  return (e) =>
    project(e.project) &&
    xsiType(e.xsiType) &&
    label(e.label) &&
    (!filter.dateFrom || (e.date !== null && e.date >= filter.dateFrom)) &&
    (!filter.dateTo || (e.date !== null && e.date <= filter.dateTo));
}

export function modalityMatcher(filter: ExperimentFilter | null | undefined): (modality: string | null) => boolean {
  return anyOf(filter?.modalities);
}

export function scanMatcher(filter: ScanFilter | null | undefined): (s: Scan) => boolean {
  if (!filter) return () => true;
  const type = anyOf(filter.types);
  const quality = anyOf(filter.qualities);
  return (s) => type(s.type) && quality(s.quality);
}

export function subjectMatcher(filter: SubjectFilter | null | undefined): (s: Subject) => boolean {
  const label = labelMatcher(filter?.label);
  return (s) => label(s.label);
}

/**
 * What XNAT can filter for us on `/data/experiments`: one xsiType (a list is ignored by XNAT),
 * the date range, and a label pattern — XNAT's LIKE wraps the pattern in `%…%` and ignores case,
 * so its answer is a superset of ours; a pattern with a comma would be split into an OR, so it
 * is not pushed.
 */
export function pushdownOfExperiments(filter: ExperimentFilter | null | undefined): ExperimentPushdown {
  if (!filter) return {};
  const out: ExperimentPushdown = {};
  if (filter.projects) out.projects = filter.projects;
  if (filter.xsiTypes?.length === 1) out.xsiType = filter.xsiTypes[0]!;
  if (filter.modalities?.length) out.modalities = filter.modalities;
  if (filter.dateFrom) out.dateFrom = filter.dateFrom;
  if (filter.dateTo) out.dateTo = filter.dateTo;
  const label = pushdownOfLabel(filter.label);
  if (label) out.label = label;
  return out;
}

/** A label pattern XNAT can pre-filter with (`label=`; a comma would split it into an OR). */
export function pushdownOfLabel(pattern: string | null | undefined): string | undefined {
  return pattern && !pattern.includes(',') && !pattern.includes('%') ? pattern : undefined;
}

export function pushdownOfScans(filter: ScanFilter | null | undefined): ScanPushdown {
  const out: ScanPushdown = {};
  if (filter?.types?.length) out.types = filter.types;
  if (filter?.qualities?.length) out.qualities = filter.qualities;
  return out;
}

/** An empty list means "matches nothing": answer without asking XNAT. */
export function matchesNothing(filter: object | null | undefined): boolean {
  return filter != null && Object.values(filter).some((v) => Array.isArray(v) && v.length === 0);
}
