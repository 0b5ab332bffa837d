/**
 * Whether XNAT stored a value: XNAT keeps typed fields in typed columns and lists them as Java
 * prints them (`XFTTable.toJSON` writes each cell's `toString()`), so a value read back is the
 * asked one in XNAT's spelling: `42` comes back `42.0` from a float field, `true` may be `1`, a
 * date `MM/DD/YYYY` is listed `YYYY-MM-DD`, a date-time `YYYY-MM-DD HH:MM:SS.S`.
 */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}(?:\.\d+)?))?)?$/;

function asBoolean(text: string): boolean | undefined {
  if (/^(true|t|1)$/i.test(text)) return true;
  if (/^(false|f|0)$/i.test(text)) return false;
  return undefined;
}

/** A date or date-time as `YYYY-MM-DD[ HH:MM:SS.fff]`, seconds and fractions spelled out; undefined when not one. */
function asDateTime(text: string): string | undefined {
  const us = US_DATE.exec(text);
  const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : text;
  const match = DATE_TIME.exec(iso);
  if (!match) return undefined;
  if (!match[2]) return match[1];
  const seconds = Number(match[3] ?? '0');
  return `${match[1]} ${match[2]}:${seconds.toFixed(3).padStart(6, '0')}`;
}

export function storedAs(asked: string, stored: string | null): boolean {
  const want = asked.trim();
  const got = (stored ?? '').trim();
  if (want === got) return true;
  if (want === '' || got === '') return false;
  if (NUMBER.test(want) && NUMBER.test(got)) return Number(want) === Number(got);
  const wantBoolean = asBoolean(want);
  if (wantBoolean !== undefined && asBoolean(got) === wantBoolean) return true;
  const wantDate = asDateTime(want);
  return wantDate !== undefined && asDateTime(got) === wantDate;
}
