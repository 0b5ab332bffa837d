import { describe, expect, it } from 'vitest';
import { ConfigError, resolveGatewayConfig } from '../../src/config/gateway-config.js';

describe('dashboard configuration flags', () => {
  it('caches for 30 s in memory by default; flags and env choose the TTL, the store and the page', async () => {
    expect(await resolveGatewayConfig({}, {})).toMatchObject({ cacheTtlMs: 30_000, cacheUrl: 'memory', dashboard: false });
    expect(await resolveGatewayConfig({ cacheTtlMs: '0', cache: 'redis://127.0.0.1:6379', dashboard: true }, {})).toMatchObject({
      cacheTtlMs: 0,
      cacheUrl: 'redis://127.0.0.1:6379',
      dashboard: true,
    });
    expect(await resolveGatewayConfig({}, { XNAT_GRAPHQL_CACHE_TTL_MS: '5000', XNAT_GRAPHQL_CACHE: 'redis://cache:6379' })).toMatchObject({
      cacheTtlMs: 5000,
      cacheUrl: 'redis://cache:6379',
    });
  });

  it('refuses a bad TTL or store in one line', async () => {
    await expect(resolveGatewayConfig({ cacheTtlMs: 'soon' }, {})).rejects.toThrow(ConfigError);
    await expect(resolveGatewayConfig({ cacheTtlMs: '-1' }, {})).rejects.toThrow(/cacheTtlMs/);
    await expect(resolveGatewayConfig({ cache: 'memcached://x' }, {})).rejects.toThrow(/memory or redis/);
  });
});
