import { HttpError } from './responses.js';

/**
 * How FileList turns the raw text after `/files/` into a catalog path
 * (`web/.../restlet/resources/files/FileList.java`, constructor):
 * - `none`: used as sent (1.7.x);
 * - `always`: `URLDecoder.decode` (1.8.0–1.8.3, XNAT-6442, commit 0da74b8);
 * - `space-or-plus`: decoded only when the text holds `%20` or `%2B` (case-sensitive), else as
 *   sent (1.8.4 on, XNAT-6947, commit 081c6e4).
 */
export type FilePathDecoding = 'none' | 'always' | 'space-or-plus';

/** One XNAT release line the emulator can behave as (`emulator --xnat-version NAME`). */
export interface VersionProfile {
  name: string;
  /** What `/xapi/siteConfig/buildInfo` reports as `version` (XnatAppInfo, from the war's manifest). */
  version: string;
  buildNumber: string;
  buildDate: string;
  filePaths: FilePathDecoding;
}

export const PROFILES: readonly VersionProfile[] = [
  { name: '1.7', version: '1.7.6', buildNumber: '1637', buildDate: 'Fri Jun 28 11:30:40 CDT 2019', filePaths: 'none' },
  { name: '1.8.0', version: '1.8.0', buildNumber: '2', buildDate: 'Fri Feb 19 17:44:05 CST 2021', filePaths: 'always' },
  { name: '1.8.10', version: '1.8.10', buildNumber: '120', buildDate: 'Tue Feb 27 13:20:05 CST 2024', filePaths: 'space-or-plus' },
];

export const PROFILE_NAMES = PROFILES.map((p) => p.name);

/** The named profile; without a name, the newest. */
export function versionProfile(name?: string): VersionProfile {
  if (name === undefined) return PROFILES[PROFILES.length - 1]!;
  const profile = PROFILES.find((p) => p.name === name);
  if (!profile) throw new Error(`Unknown XNAT version ${JSON.stringify(name)}: use one of ${PROFILE_NAMES.join(', ')}`);
  return profile;
}

/**
 * java.net.URLDecoder.decode(text, "UTF-8"): `+` is a space, `%XX` sequences are bytes read as
 * UTF-8 (bad sequences become U+FFFD); a malformed escape throws, which XNAT answers with 500.
 */
export function javaUrlDecode(text: string): string {
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new HttpError(500, 'URLDecoder: Illegal hex characters in escape (%) pattern');
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    flush();
    out += c === '+' ? ' ' : c;
  }
  flush();
  return out;
}

/** The catalog path FileList works with for the raw text after `/files/`. */
export function decodeFilePath(raw: string, decoding: FilePathDecoding): string {
  switch (decoding) {
    case 'none':
      return raw;
    case 'always':
      return javaUrlDecode(raw);
    case 'space-or-plus':
      return raw.includes('%20') || raw.includes('%2B') ? javaUrlDecode(raw) : raw;
  }
}
