import type { ServerResponse } from 'node:http';
import { escapeXml, HttpError, sendText } from '../responses.js';
import type { Table } from './table.js';

/** StringEscapeUtils.escapeCsv: quote when the value holds a comma, quote or line break. */
function escapeCsv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(table: Table): string {
  const lines = [table.columns.map(escapeCsv).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => escapeCsv(row[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

function toJson(table: Table): string {
  const resultSet: Record<string, unknown> = {};
  if (table.columnProps) resultSet.Columns = table.columnProps;
  resultSet.Result = table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, row[c] ?? ''])));
  for (const [key, value] of table.meta) resultSet[key] = value;
  return JSON.stringify({ ResultSet: resultSet });
}

function toXml(table: Table): string {
  const attributes = table.meta.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const columns = table.columns.map((c) => `<column>${escapeXml(c)}</column>`).join('');
  const rows = table.rows
    .map((row) => `<row>${table.columns.map((c) => `<cell>${escapeXml(row[c] ?? '')}</cell>`).join('')}</row>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ResultSet xmlns="http://nrg.wustl.edu/security"${attributes}>` +
    `<results><columns>${columns}</columns><rows>${rows}</rows></results></ResultSet>`
  );
}

function toHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${table.columns.map((c) => `<td>${escapeXml(row[c] ?? '')}</td>`).join('')}</tr>`).join('');
  return `<table class="x_rs_t"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

const RENDERERS: Record<string, { type: string; render: (t: Table) => string }> = {
  json: { type: 'application/json', render: toJson },
  csv: { type: 'text/csv', render: toCsv },
  xml: { type: 'text/xml', render: toXml },
  html: { type: 'text/html', render: toHtml },
};

/** Writes a listing in the requested `format` (XNAT's default for listings is JSON). */
export function sendTable(res: ServerResponse, table: Table, format: string): void {
  const renderer = RENDERERS[format];
  if (!renderer) throw new HttpError(400, `Unsupported format: ${format}`);
  sendText(res, 200, renderer.render(table), renderer.type);
}
