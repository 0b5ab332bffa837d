import { describe, expect, it } from 'vitest';

/** The dashboard's chart series (examples/dashboard/aggregate.js, imported as the browser loads it). */

interface Series {
  key: string;
  counts: number[];
}
interface Aggregate {
  monthRange(first: string, last: string): string[];
  sessionsPerMonth(
    counts: { modality: string | null; month: string; count: number }[],
    bounds?: { from?: string; to?: string },
  ): { months: string[]; series: Series[] };
  scansByTypePerProject(projects: { label: string; stats: { byScanType: { key: string | null; count: number }[] } }[]): {
    projects: string[];
    series: Series[];
  };
  experimentFilter(choices: { project: string; modality: string; from: string; to: string }): Record<string, unknown>;
}

const aggregate = (await import(new URL('../../examples/dashboard/aggregate.js', import.meta.url).href)) as Aggregate;

describe('dashboard chart series', () => {
  it('months run without gaps across a year end', () => {
    expect(aggregate.monthRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(aggregate.monthRange('2024-05', '2024-05')).toEqual(['2024-05']);
  });

  it('sessions per month: months without sessions are zero, projects add up, modalities are series', () => {
    const { months, series } = aggregate.sessionsPerMonth([
      { modality: 'MR', month: '2024-01', count: 2 },
      { modality: 'PT', month: '2024-04', count: 1 },
      { modality: 'MR', month: '2024-04', count: 3 }, // another project's
      { modality: null, month: '2024-02', count: 1 },
    ]);
    expect(months).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    expect(series).toEqual([
      { key: '(none)', counts: [0, 1, 0, 0] },
      { key: 'MR', counts: [2, 0, 0, 3] },
      { key: 'PT', counts: [0, 0, 0, 1] },
    ]);
  });

  it('the month axis widens to the filter’s dates, and is empty without any', () => {
    expect(
      aggregate.sessionsPerMonth([{ modality: 'CT', month: '2024-02', count: 1 }], { from: '2023-12-15', to: '2024-03-01' }).months,
    ).toEqual(['2023-12', '2024-01', '2024-02', '2024-03']);
    expect(aggregate.sessionsPerMonth([])).toEqual({ months: [], series: [] });
  });

  it('scans by type per project', () => {
    const result = aggregate.scansByTypePerProject([
      {
        label: 'A',
        stats: {
          byScanType: [
            { key: 'T1w', count: 2 },
            { key: null, count: 1 },
          ],
        },
      },
      {
        label: 'B',
        stats: {
          byScanType: [
            { key: 'T1w', count: 5 },
            { key: 'PET', count: 4 },
          ],
        },
      },
    ]);
    expect(result).toEqual({
      projects: ['A', 'B'],
      series: [
        { key: '(none)', counts: [1, 0] },
        { key: 'PET', counts: [0, 4] },
        { key: 'T1w', counts: [2, 5] },
      ],
    });
  });

  it('the form’s choices become an ExperimentFilter, leaving out what is not chosen', () => {
    expect(aggregate.experimentFilter({ project: '', modality: '', from: '', to: '' })).toEqual({});
    expect(aggregate.experimentFilter({ project: 'P', modality: 'MR', from: '2024-01-01', to: '' })).toEqual({
      projects: ['P'],
      modalities: ['MR'],
      dateFrom: '2024-01-01',
    });
  });
});
