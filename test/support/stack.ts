import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';

export interface Credentials {
  user: string;
  password: string;
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface Stack {
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

/** The emulator and a gateway in front of it, both on real sockets. */
export async function startStack(
  options: { dataset?: string; upstreamTimeoutMs?: number; gateway?: Partial<GatewayOptions>; xnatVersion?: string } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ port: 0, dataset: options.dataset ?? 'demo', ...(options.xnatVersion ? { xnatVersion: options.xnatVersion } : {}) });
  const gateway = await startGateway({
    xnatUrl: emulator.url,
    port: 0,
    ...(options.upstreamTimeoutMs !== undefined ? { upstreamTimeoutMs: options.upstreamTimeoutMs } : {}),
    ...options.gateway,
  });

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}, auth: Credentials | null = ADMIN): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (auth) headers['authorization'] = basic(auth);
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as GraphQLResponse<T>;
    return { ...body, status: response.status };
  }

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
    async close() {
      await gateway.close();
      await emulator.close();
    },
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

/** Sends a GraphQL multipart request (one file as variable `file`), with the CSRF preflight header. */
export async function uploadRequest(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  file: { name: string; bytes: Uint8Array },
  auth: Credentials = ADMIN,
): Promise<GraphQLResponse> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.set('map', JSON.stringify({ '0': ['variables.file'] }));
  form.set('0', new Blob([new Uint8Array(file.bytes)]), file.name);
  const response = await fetch(stack.gateway.graphqlUrl, {
    method: 'POST',
    headers: { authorization: basic(auth), 'graphql-preflight': '1' },
    body: form,
  });
  return { ...((await response.json()) as GraphQLResponse), status: response.status };
}
