import { JSONParser } from '@streamparser/json';
import { upstreamError } from '../errors.js';
import { parseResultSet, resultRow, type RawRow } from './resultset.js';

/** The body is an HTML page (a login page, mostly), not a table. */
export class HtmlAnswer extends Error {}

/** Bodies up to this size are kept whole only to validate an answer without rows. */
const HEAD_BYTES = 64 * 1024;

/**
 * Reads an XNAT ResultSet body as it arrives: each row of `ResultSet.Result` is handed to
 * `toRow` the moment it is complete, and only what `toRow` returns is kept, so a listing of a
 * million files never exists as text or as a tree of JSON values. The first bytes are kept to
 * tell an HTML page from JSON and to validate an answer that has no rows.
 */
export async function readResultSet<T>(
  body: AsyncIterable<Buffer | string>,
  route: string,
  toRow: (raw: RawRow, index: number) => T,
): Promise<T[]> {
  const parser = new JSONParser({ paths: ['$.ResultSet.Result.*'], keepStack: false });
  const rows: T[] = [];
  let failure: unknown;
  parser.onValue = ({ value }) => {
    if (failure !== undefined) return;
    try {
      rows.push(toRow(resultRow(value, route, rows.length), rows.length));
    } catch (error) {
      failure = error;
    }
  };
  parser.onError = (error) => {
    failure ??= upstreamError(`XNAT answered malformed JSON to GET ${route} (${error.message})`);
  };
  const head: Buffer[] = [];
  let headBytes = 0;
  for await (const part of body) {
    const chunk = typeof part === 'string' ? Buffer.from(part) : part;
    if (headBytes === 0 && /^\s*</.test(chunk.subarray(0, 64).toString('latin1'))) {
      throw new HtmlAnswer(`XNAT answered HTML instead of a JSON table to GET ${route}`);
    }
    if (headBytes < HEAD_BYTES) head.push(chunk);
    headBytes += chunk.length;
    if (!parser.isEnded) parser.write(chunk);
    if (failure !== undefined) throw failure;
  }
  if (!parser.isEnded) parser.end();
  if (failure !== undefined) throw failure;
  if (rows.length === 0) {
    // No row came: the body must still be a ResultSet with an empty Result (it is small then).
    if (headBytes > HEAD_BYTES) throw upstreamError(`XNAT answered JSON without a ResultSet table to GET ${route}`);
    parseResultSet(Buffer.concat(head).toString('utf8'), route);
  }
  return rows;
}
