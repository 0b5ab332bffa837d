import type { Experiment, Project, Resource, Scan, Subject } from '../loaders/models.js';
import { byText } from '../loaders/options.js';
import { builder } from './builder.js';

/**
 * `orderBy` on connections. The gateway sorts the listing it already holds: XNAT's `sortBy` sorts
 * the rendered table in memory after the SQL query, and with `limit`/`offset` only the page
 * (SecureResource.representTable, XFTTable.sort), so asking XNAT to sort would save nothing
 * and would break pages. Sorting here is stable: items equal on every key keep the listing's
 * own order (label order), so a cursor from one page stays valid for the next with the same orderBy.
 */

export const OrderDirection = builder.enumType('OrderDirection', {
  values: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } } as const,
});

type Key = string | number | null;

/** Labels compare naturally ("sub-2" before "sub-10"), dates as ISO text. */
function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return byText(String(a), String(b));
}

function orderType<T, F extends string>(name: string, what: string, fields: Record<F, { description: string; key: (item: T) => Key }>) {
  const fieldEnum = builder.enumType(`${name}Field`, {
    values: Object.fromEntries(
      Object.entries<{ description: string }>(fields).map(([k, v]) => [k, { description: v.description }]),
    ) as Record<F, { description: string }>,
  });
  const input = builder.inputType(name, {
    description: `One sort key of ${what}; several keys sort by the first, then the next among equals.`,
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true }),
      direction: t.field({ type: OrderDirection, required: false, defaultValue: 'ASC' }),
    }),
  });
  function sort(
    list: readonly T[],
    orderBy: ReadonlyArray<{ field: F; direction?: 'ASC' | 'DESC' | null }> | null | undefined,
  ): readonly T[] {
    if (!orderBy || orderBy.length === 0) return list;
    const keys = orderBy.map((o) => ({ key: fields[o.field].key, sign: o.direction === 'DESC' ? -1 : 1 }));
    const decorated = list.map((item, index) => ({ item, index, values: keys.map((k) => k.key(item)) }));
    decorated.sort((x, y) => {
      for (let i = 0; i < keys.length; i++) {
        const a = x.values[i]!;
        const b = y.values[i]!;
        // Missing values stay last whichever the direction.
        if (a === null || b === null) {
          if (a !== b) return a === null ? 1 : -1;
          continue;
        }
        const order = compareKeys(a, b) * keys[i]!.sign;
        if (order !== 0) return order;
      }
      return x.index - y.index;
    });
    return decorated.map((d) => d.item);
  }
  return { input, sort };
}

export const projectOrder = orderType<Project, 'LABEL' | 'NAME'>('ProjectOrder', 'projects', {
  LABEL: { description: 'Project ID.', key: (p) => p.id },
  NAME: { description: 'Project name.', key: (p) => p.name },
});

export const subjectOrder = orderType<Subject, 'LABEL' | 'INSERT_DATE'>('SubjectOrder', 'subjects', {
  LABEL: { description: 'Subject label.', key: (s) => s.label },
  INSERT_DATE: { description: 'When the subject was added to XNAT.', key: (s) => s.insertDate },
});

export const experimentOrder = orderType<Experiment, 'LABEL' | 'DATE' | 'INSERT_DATE' | 'TYPE'>('ExperimentOrder', 'experiments', {
  LABEL: { description: 'Experiment label.', key: (e) => e.label },
  DATE: { description: 'Session date (then time).', key: (e) => (e.date === null ? null : `${e.date}T${e.time ?? ''}`) },
  INSERT_DATE: { description: 'When the experiment was added to XNAT.', key: (e) => e.insertDate },
  TYPE: { description: 'XNAT data type (xsiType).', key: (e) => e.xsiType },
});

export const scanOrder = orderType<Scan, 'LABEL' | 'TYPE' | 'SERIES_DESCRIPTION'>('ScanOrder', 'scans', {
  LABEL: { description: 'Scan ID, compared as numbers where they are ("2" before "10").', key: (s) => s.id },
  TYPE: { description: 'Scan type.', key: (s) => s.type },
  SERIES_DESCRIPTION: { description: 'Series description.', key: (s) => s.seriesDescription },
});

export const resourceOrder = orderType<Resource, 'LABEL' | 'FILE_COUNT'>('ResourceOrder', 'resources', {
  LABEL: { description: 'Resource label.', key: (r) => r.label },
  FILE_COUNT: { description: 'Number of files, as XNAT recorded it.', key: (r) => r.fileCount },
});

export const ORDER_BY_DESCRIPTION = 'Sort keys, applied in order (missing values last); without it the listing is in label order.';
