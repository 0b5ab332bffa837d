/**
 * Every default of `serve`, in one place: the config resolver, the gateway, the XNAT client and
 * the CLI help all read them from here, so what `--help` says is what runs.
 */
export const serveDefaults = {
  host: '127.0.0.1',
  port: 4000,
  upstreamTimeoutMs: 30_000,
  maxUpstreamConnections: 32,
  maxUploadBytes: 64 * 1024 ** 3,
  maxUploadFiles: 20,
  maxDepth: 24,
  maxAliases: 30,
  maxTokens: 4000,
  maxDirectives: 30,
  maxCost: 20_000_000,
  maxAnswerRows: 500_000,
  xnatRowBudget: 20_000,
  cacheTtlMs: 30_000,
  cache: 'memory',
  /** Absolute age of the XNAT session held for a credential before the gateway logs in again. */
  sessionMaxAgeMs: 5 * 60_000,
  /**
   * Refused logins of one XNAT user in a row after which the gateway stops sending that user's
   * new credentials to XNAT for `loginCoolDownMs`; well below XNAT's lockout at 20.
   */
  loginFailureLimit: 5,
  loginCoolDownMs: 10 * 60_000,
  /** XNAT connections for streamed uploads, apart from `maxUpstreamConnections`, so reads always get one. */
  maxUploadConnections: 8,
  /** Multipart or raw uploads one caller (a credential, or all anonymous callers together) may have in flight. */
  maxUploadsPerCaller: 8,
  /** Open client connections at once; more are refused. */
  maxConnections: 1024,
  /** Until a request's headers are complete. */
  headersTimeoutMs: 20_000,
  /** Until a request body other than an upload is complete. */
  requestTimeoutMs: 30_000,
  /** Longest silence while an upload's body arrives: uploads may be long, but not silent. */
  bodyIdleTimeoutMs: 60_000,
  /** Bytes of out-of-order upload parts held on disk for one request. */
  maxSpoolBytesPerRequest: 256 * 1024 ** 2,
  /** The same over all requests of one caller in flight. */
  maxSpoolBytesPerCaller: 1024 ** 3,
} as const;
