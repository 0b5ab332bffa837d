import type { serveDefaults } from './defaults.js';

/** The options of `serve` that take a whole number, each a gateway option of the same name. */
export type NumericOption = {
  [K in keyof typeof serveDefaults]: (typeof serveDefaults)[K] extends number ? K : never;
}[keyof typeof serveDefaults];

export interface NumericOptionSpec {
  help: string;
  /** The environment variable that also sets it. */
  env?: string;
  min: number;
  max: number;
  /** How `--help` words the default, when the number itself reads badly. */
  shownDefault?: string;
}

/**
 * Every numeric `serve` option: its flag is the name in kebab case (`maxUploadBytes` is
 * `--max-upload-bytes`), its default is `serveDefaults`' entry, and the config resolver, the CLI
 * and its help are all built from this table. Options left out (`null`) are the gateway's only.
 */
export const numericOptions = {
  port: { help: 'port to listen on (0 picks a free one)', env: 'PORT', min: 0, max: 65535 },
  upstreamTimeoutMs: { help: 'bound on each XNAT request', min: 1, max: 3_600_000 },
  maxUpstreamConnections: { help: 'concurrent connections to XNAT', min: 1, max: 1024 },
  maxUploadConnections: {
    help: 'concurrent connections to XNAT for streamed uploads, apart from --max-upstream-connections, so reads always get one',
    min: 1,
    max: 1024,
  },
  maxUploadBytes: { help: 'largest accepted upload', min: 0, max: Number.MAX_SAFE_INTEGER, shownDefault: '64 GiB' },
  maxUploadFiles: { help: 'files per multipart request', min: 1, max: 1000 },
  maxUploadsPerCaller: {
    help: 'uploads one caller (a credential; all anonymous callers together) may have in flight; more are refused with 429',
    min: 1,
    max: 10_000,
  },
  maxSpoolBytesPerRequest: {
    help: 'bytes of file parts sent before the parts read first, held on disk for one multipart request',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    shownDefault: '256 MiB',
  },
  maxSpoolBytesPerCaller: {
    help: 'the same over all requests of one caller in flight',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    shownDefault: '1 GiB',
  },
  maxConnections: { help: 'open client connections at once; more are refused', min: 1, max: 1_000_000 },
  headersTimeoutMs: { help: "time a client has to send a request's headers", min: 1, max: 3_600_000 },
  requestTimeoutMs: { help: 'time a client has to send a request body other than an upload', min: 1, max: 3_600_000 },
  bodyIdleTimeoutMs: { help: 'longest silence while an upload arrives (uploads may be long, but not silent)', min: 1, max: 3_600_000 },
  maxDepth: { help: 'deepest selection a query may nest', min: 1, max: 1000 },
  maxCost: { help: 'largest query cost, list fields multiplying their children', min: 1, max: Number.MAX_SAFE_INTEGER },
  maxAliases: { help: 'most aliases in one query', min: 0, max: 10_000 },
  maxAnswerRows: {
    help: 'most rows one request may read from XNAT (QUERY_TOO_LARGE past it)',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  },
  xnatRowBudget: { help: 'most file rows one XNAT files listing may return', min: 1, max: 10_000_000 },
  cacheTtlMs: {
    help: 'keep XNAT listings this long across requests, per user, dropped by any write; 0 disables',
    env: 'XNAT_GRAPHQL_CACHE_TTL_MS',
    min: 0,
    max: 86_400_000,
  },
  sessionMaxAgeMs: {
    help: 'use the XNAT session of a credential at most this long (absolute), then log in again so XNAT re-checks it',
    min: 1,
    max: 86_400_000,
  },
  loginFailureLimit: {
    help: "after this many refused logins of one XNAT user in a row, send XNAT only that user's credentials it accepted before, for 10 minutes, so XNAT does not lock the account (0: never stop)",
    min: 0,
    max: 1000,
  },
  maxTokens: null,
  maxDirectives: null,
  loginCoolDownMs: null,
} satisfies { [K in NumericOption]: NumericOptionSpec | null };

/** The numeric options `serve` takes as flags. */
export type ServedNumericOption = { [K in NumericOption]: (typeof numericOptions)[K] extends null ? never : K }[NumericOption];

export const servedNumericOptions = Object.entries(numericOptions).filter(
  (entry): entry is [ServedNumericOption, NumericOptionSpec] => entry[1] !== null,
);

/** `maxUploadBytes` → `--max-upload-bytes` (commander turns the flag back into the name). */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
