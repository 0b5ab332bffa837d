import { DATE_FIELDS, type Family, isA, isTypeName, ROOT_TYPE, SHORTCUTS } from '../datatypes.js';
import type { Query } from '../query.js';
import { type Column, customFieldsOf, resolveColumn, type RowContext, typeOf } from './columns.js';
import { valueFilter } from './filters.js';
import { pageRows, sortRows, type Table } from './table.js';

/** Parameters that steer a listing and are never filters. */
const RESERVED = new Set(['format', 'columns', 'xsiType', 'limit', 'offset', 'sortBy', 'sortOrder']);

/** One QueryOrganizer-backed listing: projects, subjects, experiments or scans. */
export interface ListingSpec {
  family: Family;
  defaultRoot: string;
  defaultColumns: (root: string) => string[];
  /** The rows in scope for this URL and user, before type, filter and paging. */
  rows: () => RowContext[];
  uri: (row: RowContext) => string;
  /** Filters are ignored where XNAT replaces the WHERE clause (scans; projects for non-admins). */
  filters: boolean;
  paging: boolean;
  title?: string;
  /** Rewrites cells of a row after the query, as the project-scoped listings do for shared objects. */
  relabel?: (row: RowContext, cells: Record<string, string>) => void;
  /**
   * Columns of a session's child lists on the experiment listing (`xnat:imageScanData/…`,
   * `xnat:reconstructedImageData/…`) join those children, one row per (experiment, child).
   */
  childrenOf?: Partial<Record<Family, (row: RowContext) => RowContext[]>>;
  /** A joined child's resource columns (`xnat:imageScanData/file/…`) join them too, one row per resource. */
  resourcesOf?: (row: RowContext) => RowContext[];
}

/** `xsiType=<one type>` picks the root; a list or an unrelated type leaves the default. */
function rootType(spec: ListingSpec, query: Query, columns: Column[]): string {
  const requested = query.get('xsiType');
  let root = spec.defaultRoot;
  if (requested && isTypeName(requested) && isA(requested, ROOT_TYPE[spec.family])) root = requested;
  // A column of a subtype makes that subtype the root (getRootElementName).
  for (const column of columns) {
    if (column.family === spec.family && column.type !== root && isA(column.type, root)) root = column.type;
  }
  return root;
}

/** The `columns=` entries, or undefined for the listing's defaults (`columns=DEFAULT` too). */
function requestedColumns(query: Query): string[] | undefined {
  const raw = query.get('columns');
  if (raw === undefined || raw === 'DEFAULT') return undefined;
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function resolveAll(family: Family, tokens: string[]): Column[] {
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const token of tokens) {
    const column = resolveColumn(family, token);
    if (column && !seen.has(column.key)) {
      seen.add(column.key);
      columns.push(column);
    }
  }
  return columns;
}

function filtersOf(spec: ListingSpec, query: Query): Array<{ column: Column; test: (v: string) => boolean }> {
  if (!spec.filters) return [];
  const filters = [];
  for (const [name, value] of query.entries()) {
    if (RESERVED.has(name)) continue;
    if (!name.includes('/') && !SHORTCUTS[spec.family].has(name)) continue;
    const column = resolveColumn(spec.family, name);
    if (!column) continue;
    const field = name.includes('/') ? (name.split('/').pop() ?? name) : name;
    filters.push({ column, test: valueFilter(value, DATE_FIELDS.has(field)) });
  }
  return filters;
}

/** The `?fields=…` answer: the shortcut map itself as a key/xpath table. */
function shortcutTable(family: Family): Table {
  const rows = [...SHORTCUTS[family]].map(([key, s]) => ({ key, xpath: s.path }));
  return { columns: ['key', 'xpath'], rows, meta: [['totalRecords', String(rows.length)]] };
}

/** A filter holds for a row; on a multi-valued field (`sharing/share/…`) when any value matches. */
function matches(filter: { column: Column; test: (v: string) => boolean }, row: RowContext): boolean {
  return (filter.column.values?.(row) ?? [filter.column.get(row)]).some(filter.test);
}

/** Builds a listing the way QueryOrganizerResource and its subclasses do. */
export function queryOrganizerTable(spec: ListingSpec, query: Query): Table {
  if (query.has('fields')) return shortcutTable(spec.family);
  const tokens = requestedColumns(query);
  const preliminary = resolveAll(spec.family, tokens ?? []);
  const root = rootType(spec, query, preliminary);
  const columns = tokens ? preliminary : resolveAll(spec.family, spec.defaultColumns(root));
  const filters = filtersOf(spec, query);

  // Filters on the listing's own columns first: the joins below multiply rows.
  const own = filters.filter((f) => f.column.family === spec.family);
  let rows = spec.rows().filter((row) => isA(typeOf(spec.family, row), root) && own.every((f) => matches(f, row)));
  // XFT left-joins a child list named by a column or filter: a row per child, a row without any once.
  const named = [...columns, ...filters.map((f) => f.column)];
  const joined = new Set(named.map((c) => c.family).filter((f) => f !== spec.family && spec.childrenOf?.[f]));
  for (const family of joined) {
    rows = rows.flatMap((row) => {
      const children = spec.childrenOf![family]!(row);
      return children.length > 0 ? children : [row];
    });
  }
  if (joined.size > 0 && spec.resourcesOf && columns.some((c) => c.joinsResources)) {
    rows = rows.flatMap((row) => {
      const resources = row.scan || row.reconstruction ? spec.resourcesOf!(row) : [];
      return resources.length > 0 ? resources : [row];
    });
  }
  // `<type>/fields/field/…` joins the record's custom variables: one row each, a record without any once.
  const custom = columns.find((c) => c.joinsCustomFields);
  if (custom) {
    rows = rows.flatMap((row) => {
      const entries = Object.entries(customFieldsOf(custom.family, row));
      return entries.length > 0 ? entries.map(([name, value]) => ({ ...row, customField: { name, value } })) : [row];
    });
  }
  const onJoined = filters.filter((f) => f.column.family !== spec.family);
  rows = rows.filter((row) => onJoined.every((f) => matches(f, row)));

  const keys = [...columns.map((c) => c.key).filter((k) => k !== 'URI'), 'URI'];
  const table = rows.map((row) => {
    const cells: Record<string, string> = {};
    for (const column of columns) cells[column.key] = column.get(row);
    cells.URI = spec.uri(row);
    spec.relabel?.(row, cells);
    return cells;
  });
  // XNAT pages in SQL and sorts the page in memory afterwards.
  const { rows: page, paged } = spec.paging ? pageRows(table, query) : { rows: table, paged: false };
  const meta: Array<[string, string]> = [];
  if (spec.title) meta.push(['title', spec.title]);
  if (!paged) meta.push(['totalRecords', String(page.length)]);
  return { columns: keys, rows: sortRows(page, query), meta };
}
