import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';
import { gatewayOptionsOf, resolveGatewayConfig } from '../../src/config/gateway-config.js';

export interface Credentials {
  user: string;
  password: string;
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface Stack extends AsyncDisposable {
  emulator: Emulator;
  gateway: Gateway;
  /** POSTs a GraphQL request over HTTP (Basic auth unless `auth` is null). */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, auth?: Credentials | null): Promise<GraphQLResponse<T>>;
  /**
   * Runs `query` and returns its data plus the number of XNAT requests the emulator received for
   * it, not counting logins (`/data/JSESSION`: once per credential, not per query).
   */
  measure<T = any>(query: string, variables?: Record<string, unknown>, auth?: Credentials): Promise<{ data: T; xnatRequests: number }>;
  close(): Promise<void>;
}

export const ADMIN: Credentials = { user: 'admin', password: 'admin' };
export const GUEST: Credentials = { user: 'guest', password: 'guest' };

export function basic({ user, password }: Credentials): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * The two configurations isolation, invalidation and concurrency must hold in: as `serve` ships
 * (listing cache on) and with the cache off. For `describe.each(CACHE_MODES)('… ($mode)', ({ cache }) => …)`.
 */
export const CACHE_MODES = [
  { mode: 'as shipped, listing cache on', cache: true },
  { mode: 'listing cache off', cache: false },
] as const;

export interface StackOptions {
  dataset?: string;
  upstreamTimeoutMs?: number;
  /**
   * The cross-request listing cache. Default: as `serve` ships it (on, its default TTL); false:
   * off, every query on the cold path to XNAT.
   */
  cache?: boolean;
  /** Any gateway option, over the shipped defaults. */
  gateway?: Partial<Omit<GatewayOptions, 'xnatUrl'>>;
  /** The XNAT release the emulator plays (src/emulator/versions.ts); default: its newest. */
  xnatVersion?: string;
  /** Any other emulator option. */
  emulator?: Omit<EmulatorOptions, 'port' | 'dataset' | 'xnatVersion'>;
}

/**
 * A gateway in front of `xnatUrl` on a free port, running `serve`'s shipped defaults
 * (resolveGatewayConfig with no flags and no environment) unless `options` say otherwise.
 */
export async function startShippedGateway(
  xnatUrl: string,
  options: Pick<StackOptions, 'upstreamTimeoutMs' | 'cache' | 'gateway'> = {},
): Promise<Gateway> {
  return startGateway({
    ...gatewayOptionsOf(await resolveGatewayConfig({}, {})),
    port: 0,
    ...(options.cache === false ? { cacheTtlMs: 0 } : {}),
    ...(options.upstreamTimeoutMs !== undefined ? { upstreamTimeoutMs: options.upstreamTimeoutMs } : {}),
    ...options.gateway,
    xnatUrl,
  });
}

/**
 * The XNAT release a test's emulator plays: the test's own choice, else `XNAT_TEST_RELEASE` (the
 * vitest project that reruns the gateway tests against XNAT 1.7 sets it), else the newest.
 */
export function emulatedRelease(chosen?: string): { xnatVersion?: string } {
  const release = chosen ?? process.env['XNAT_TEST_RELEASE'];
  return release ? { xnatVersion: release } : {};
}

/**
 * The emulator and a shipped gateway (startShippedGateway) in front of it, both on real sockets;
 * `await using stack = await startStack(…)` closes both when the block ends.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({
    ...options.emulator,
    port: 0,
    dataset: options.dataset ?? 'demo',
    ...emulatedRelease(options.xnatVersion),
  });
  const gateway = await startShippedGateway(emulator.url, options);

  const graphql = <T>(query: string, variables: Record<string, unknown> = {}, auth: Credentials | null = ADMIN) =>
    postGraphQL<T>(gateway.graphqlUrl, query, variables, auth);
  const close = async () => {
    await gateway.close();
    await emulator.close();
  };

  return {
    emulator,
    gateway,
    graphql,
    async measure<T>(query: string, variables: Record<string, unknown> = {}, auth: Credentials = ADMIN) {
      emulator.requests.clear();
      const response = await graphql<T>(query, variables, auth);
      if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
      const xnatRequests = emulator.requests.entries().filter((e) => e.path !== '/data/JSESSION').length;
      return { data: response.data as T, xnatRequests };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A table straight from the emulator's REST API (what XNAT itself says), for comparisons. */
export async function xnatTable(stack: Stack, path: string, auth: Credentials = ADMIN): Promise<Record<string, string>[]> {
  const url = new URL(`${stack.emulator.url}${path}`);
  url.searchParams.set('format', 'json');
  const response = await fetch(url, { headers: { authorization: basic(auth) } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = (await response.json()) as { ResultSet: { Result: Record<string, string>[] } };
  return body.ResultSet.Result;
}

/** A GraphQL multipart request with one file as variable `file` (multipartRequest), with the CSRF preflight header. */
export function uploadRequest(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  file: { name: string; bytes: Uint8Array },
  auth: Credentials = ADMIN,
): Promise<GraphQLResponse> {
  return multipartRequest(
    stack.gateway.graphqlUrl,
    { query, variables: { ...variables, file: null } },
    { '0': ['variables.file'] },
    [{ field: '0', bytes: file.bytes, filename: file.name }],
    { auth },
  );
}

/** POSTs a GraphQL request over HTTP (Basic auth unless `auth` is null); a non-JSON answer fails with its status and text. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: Credentials | null = ADMIN,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...extraHeaders,
  };
  if (auth) headers['authorization'] = basic(auth);
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { ...body, status: response.status };
}

export interface MultipartFile {
  /** The form field name the `map` refers to. */
  field: string;
  bytes: Uint8Array | string;
  filename: string;
  type?: string;
}

/**
 * Sends a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * built by hand: `operations`, then `map`, then the file parts in the given order.
 */
export async function multipartRequest(
  url: string,
  operations: unknown,
  map: Record<string, string[]>,
  files: MultipartFile[],
  options: { auth?: Credentials | null; preflight?: boolean; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse & { raw: string }> {
  const form = new FormData();
  form.append('operations', JSON.stringify(operations));
  form.append('map', JSON.stringify(map));
  for (const file of files) {
    const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
    form.append(file.field, new Blob([new Uint8Array(bytes)], { type: file.type ?? 'application/octet-stream' }), file.filename);
  }
  const headers: Record<string, string> = { ...options.headers };
  if (options.preflight !== false) headers['graphql-preflight'] = '1';
  const auth = options.auth === undefined ? ADMIN : options.auth;
  if (auth) headers['authorization'] = basic(auth);
  const response = await fetch(url, { method: 'POST', headers, body: form });
  const raw = await response.text();
  let body: GraphQLResponse;
  try {
    body = JSON.parse(raw) as GraphQLResponse;
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${raw.slice(0, 300)}`);
  }
  return { ...body, status: response.status, raw };
}
