import { startEmulator } from '../../src/emulator/index.js';
import { startGateway, type GatewayOptions } from '../../src/server/gateway.js';
import { ADMIN, basic, type Credentials, type GraphQLResponse, type Stack } from '../support/stack.js';

export { ADMIN, GUEST, xnatTable } from '../support/stack.js';
export type { Stack } from '../support/stack.js';

/** Like test/support/stack.ts's startStack, with gateway options (cache, dashboard) passed through. */
export async function startDashboardStack(gatewayOptions: Partial<GatewayOptions> = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0, dataset: 'demo' });
  const gateway = await startGateway({ xnatUrl: emulator.url, port: 0, ...gatewayOptions });

  async function graphql<T>(query: string, variables: Record<string, unknown> = {}, auth: Credentials | null = ADMIN): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (auth) headers['authorization'] = basic(auth);
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { ...((await response.json()) as GraphQLResponse<T>), status: response.status };
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

export function countBy<T>(items: readonly T[], key: (item: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? 'null';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** `[{key, count}]` → `{key: count}` for comparisons. */
export function asRecord(list: Array<{ key: string | null; count: number }>): Record<string, number> {
  return Object.fromEntries(list.map((c) => [c.key ?? 'null', c.count]));
}
