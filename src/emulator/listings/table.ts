import type { Query } from '../query.js';
import { HttpError } from '../responses.js';

/** An XFTTable as SecureResource.representTable renders it: string cells, ordered meta. */
export interface Table {
  columns: string[];
  rows: Array<Record<string, string>>;
  /** ResultSet meta entries (`totalRecords`, `title`), in output order. */
  meta: Array<[string, string]>;
  /** JSON `Columns` properties; only the files listing carries them. */
  columnProps?: Array<Record<string, string>>;
}

/** XNAT compares typed cells (numbers, dates, text); the emulator's cells are text, so numbers are recognised here. */
function compareCells(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `sortBy=col1,col2` and `sortOrder=DESC`, as SecureResource.representTable applies them to the
 * rendered table (after any limit/offset): XFTTable.sort, a stable sort with empty (SQL NULL)
 * cells after every value, then for DESC the whole list reversed (empty cells first).
 */
export function sortRows(rows: Array<Record<string, string>>, query: Query): Array<Record<string, string>> {
  const sortBy = query.get('sortBy');
  if (!sortBy) return rows;
  const keys = sortBy.split(',').filter(Boolean);
  const sorted = [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = a[key] ?? '';
      const y = b[key] ?? '';
      // XFTTable.sort answers "equal" when both cells are null, without looking at later columns.
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
      const order = compareCells(x, y);
      if (order !== 0) return order;
    }
    return 0;
  });
  return query.get('sortOrder')?.toUpperCase() === 'DESC' ? sorted.reverse() : sorted;
}

/** A paging parameter: missing → `fallback`, `*` → `unlimited`, else a non-negative integer. */
function pagingNumber(query: Query, name: string, fallback: number, unlimited: number): number {
  const raw = query.get(name);
  if (raw === undefined) return fallback;
  if (raw === '*') return unlimited;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, `Invalid ${name}: ${raw}`);
  return Number(raw);
}

/**
 * `limit`/`offset` paging of the subject and experiment listings (XNAT 1.8.9+): either turns
 * paging on, `limit` defaults to 100, `*` means no limit. Paged answers carry no totalRecords.
 */
export function pageRows<T>(rows: T[], query: Query): { rows: T[]; paged: boolean } {
  if (!query.has('limit') && !query.has('offset')) return { rows, paged: false };
  const limit = pagingNumber(query, 'limit', 100, Infinity);
  const offset = pagingNumber(query, 'offset', 0, 0);
  return { rows: rows.slice(offset, offset + limit), paged: true };
}
