import { describe, expect, it } from 'vitest';
import { cacheSuite } from './cache-suite.js';
import { startStack } from '../support/stack.js';

describe('cross-request cache (in-process store)', () => {
  cacheSuite(() => ({}));

  it('expires entries after the TTL, and --cache-ttl-ms 0 turns the cache off', async () => {
    const short = await startStack({ gateway: { cacheTtlMs: 150 } });
    try {
      await short.measure(`{ projects { nodes { label } } }`);
      expect((await short.measure(`{ projects { nodes { label } } }`)).xnatRequests).toBe(0);
      await new Promise((r) => setTimeout(r, 250));
      expect((await short.measure(`{ projects { nodes { label } } }`)).xnatRequests).toBe(1);
    } finally {
      await short.close();
    }
    const off = await startStack({ gateway: { cacheTtlMs: 0 } });
    try {
      await off.measure(`{ projects { nodes { label } } }`);
      expect((await off.measure(`{ projects { nodes { label } } }`)).xnatRequests).toBe(1);
    } finally {
      await off.close();
    }
  });
});
