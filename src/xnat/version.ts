import type { XnatAuth } from './auth.js';
import type { XnatClient } from './client.js';

/**
 * How an XNAT release decodes the text after `/files/` in a URL (FileList's constructor,
 * `web/.../restlet/resources/files/FileList.java`):
 * - `none` (1.7.x): used as sent;
 * - `always` (1.8.0–1.8.3, XNAT-6442): java.net.URLDecoder (`+` is a space);
 * - `space-or-plus` (1.8.4 on, XNAT-6947): URLDecoder only when the text holds `%20` or `%2B`.
 */
export type FilePathDecoding = 'none' | 'always' | 'space-or-plus';

export interface XnatVersion {
  /** As XNAT reports it (`1.8.10`), or `unknown`. */
  version: string;
  filePaths: FilePathDecoding;
}

/** What the gateway assumes when XNAT does not say: the newest behaviour. */
const NEWEST: XnatVersion = { version: 'unknown', filePaths: 'space-or-plus' };

/** The behaviour of a reported version (`1.7.6`, `1.8.0.1`, `1.8.10-SNAPSHOT`); null when unreadable. */
export function xnatVersion(text: string): XnatVersion | null {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return null;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  const version = text.trim().split(/\s+/)[0]!;
  const order = major * 1_000_000 + minor * 1_000 + patch;
  if (order < 1_008_000) return { version, filePaths: 'none' };
  if (order < 1_008_004) return { version, filePaths: 'always' };
  return { version, filePaths: 'space-or-plus' };
}

/**
 * The XNAT release behind the gateway: `--xnat-version` when given, else asked once, the way
 * pyxnat's Interface.version() does: `GET /data/version` (gone since 1.7.0, where it answers
 * 404), then `GET /xapi/siteConfig/buildInfo` (SiteConfigApi.getBuildInfo, 1.7 on: a JSON map
 * whose `version` is the war's Implementation-Version). Both need an authenticated user, so the
 * first credential that gets an answer settles it; until then the newest behaviour is assumed.
 */
export class XnatVersionSource {
  #known: XnatVersion | undefined;
  #asking: Promise<XnatVersion | undefined> | undefined;

  constructor(
    private readonly client: Pick<XnatClient, 'request'>,
    configured: string | undefined,
    private readonly onLearned: (version: XnatVersion, how: 'configured' | 'reported' | 'assumed') => void = () => {},
  ) {
    if (configured === undefined) return;
    const version = xnatVersion(configured);
    if (!version) throw new Error(`Unreadable XNAT version ${JSON.stringify(configured)} (expected e.g. 1.7.6, 1.8.3, 1.8.10)`);
    this.#known = version;
    onLearned(version, 'configured');
  }

  /** The version, asking XNAT with this credential when it is not known yet. */
  async of(auth: XnatAuth): Promise<XnatVersion> {
    if (this.#known) return this.#known;
    this.#asking ??= this.#ask(auth).finally(() => (this.#asking = undefined));
    return (await this.#asking) ?? NEWEST;
  }

  /** Undefined when XNAT could not be asked with this credential (the next one asks again). */
  async #ask(auth: XnatAuth): Promise<XnatVersion | undefined> {
    let refused = false;
    for (const path of ['/data/version', '/xapi/siteConfig/buildInfo']) {
      let status: number;
      let text: string;
      try {
        const response = await this.client.request(auth, { method: 'GET', path, headers: { accept: 'application/json, text/plain' } });
        status = response.statusCode;
        text = await response.body.text();
      } catch {
        return undefined;
      }
      if (status === 401 || status === 403) refused = true;
      if (status !== 200 || /^\s*</.test(text)) continue;
      const reported = path.endsWith('buildInfo') ? versionField(text) : text;
      const version = reported === undefined ? null : xnatVersion(reported);
      if (version) return this.#settle(version, 'reported');
    }
    return refused ? undefined : this.#settle(NEWEST, 'assumed');
  }

  #settle(version: XnatVersion, how: 'reported' | 'assumed'): XnatVersion {
    this.#known = version;
    this.onLearned(version, how);
    return version;
  }
}

function versionField(json: string): string | undefined {
  try {
    const value = (JSON.parse(json) as { version?: unknown }).version;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
