import { HttpError } from '../responses.js';
import { wildcardMatches } from './wildcard.js';

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** XNAT's REST date `MM/DD/YYYY` as ISO `YYYY-MM-DD`, or undefined when it is not one. */
export function usDateToIso(text: string): string | undefined {
  const us = US_DATE.exec(text);
  return us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : undefined;
}

function isoDate(text: string): string {
  const iso = usDateToIso(text);
  if (iso === undefined) throw new HttpError(400, `Invalid date: ${text}`);
  return iso;
}

/** `MM/DD/YYYY`, or a `a-b` range with either end open (processDateQuery). */
function dateMatches(value: string, piece: string): boolean {
  const day = value.slice(0, 10);
  if (ISO_DATE.test(piece)) return day === piece; // a convenience XNAT lacks; see docs/emulator.md
  const dash = piece.indexOf('-');
  if (dash < 0) return day === isoDate(piece);
  const from = piece.slice(0, dash).trim();
  const to = piece.slice(dash + 1).trim();
  if (day === '') return false;
  return (from === '' || day >= isoDate(from)) && (to === '' || day <= isoDate(to));
}

function likeMatches(value: string, piece: string): boolean {
  // The server wraps the pattern in %…%, so `abc*` behaves as "contains abc".
  return wildcardMatches(piece.split(/[*%]/), value, { ignoreCase: true, contains: true });
}

/**
 * A filter parameter's test: comma pieces are ORed; `*`/`%` pieces are case-insensitive LIKE;
 * other pieces are exact; an empty piece matches an empty (NULL) value.
 */
export function valueFilter(spec: string, isDate: boolean): (value: string) => boolean {
  const pieces = spec.split(',');
  if (isDate) for (const piece of pieces) if (piece !== '') dateMatches('2000-01-01', piece); // validate early
  return (value) =>
    pieces.some((piece) => {
      if (piece === '') return value === '';
      if (isDate) return dateMatches(value, piece);
      if (/[*%]/.test(piece)) return likeMatches(value, piece);
      return value === piece;
    });
}
