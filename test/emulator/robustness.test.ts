import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ADMIN, basic, call, GUEST, useEmulator } from './client.js';

const emulator = useEmulator({ dataset: 'demo' });

describe('malformed input', () => {
  it('answers 400, never a crash, for bad query strings, paging and dates', async () => {
    for (const path of [
      '/data/projects?format=csv&columns=%zz',
      '/data/experiments?format=json&limit=abc',
      '/data/experiments?format=json&limit=-1',
      '/data/experiments?format=json&offset=1.5',
      '/data/experiments?format=json&date=yesterday',
      '/data/projects?format=nonsense',
      '/data/projects/%E0%A4%A',
      '/data/experiments/XNAT_E00001/scans/2/resources/nifti/files?format=zip&compression=42',
    ]) {
      const res = await call(emulator(), path);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/^<html>/);
    }
    expect((await call(emulator(), '/data/projects?format=json')).status).toBe(200);
  });

  it('answers a multipart body without a boundary with 400', async () => {
    const res = await call(emulator(), '/data/experiments/XNAT_E00001/resources/X/files/a.txt', {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(res.status).toBe(400);
  });
});

describe('request log', () => {
  it('records every request with method, path, query, status, user and User-Agent', async () => {
    const log = emulator().requests;
    log.clear();
    await call(emulator(), '/data/projects?format=json');
    await call(emulator(), '/data/projects/test/subjects?format=csv', { as: GUEST });
    await call(emulator(), '/data/projects', { as: null });
    await call(emulator(), '/data/projects/nope', { headers: { 'user-agent': 'pyxnat' } });
    expect(log.count()).toBe(4);
    expect(log.count({ method: 'get', pathPrefix: '/data/projects/test' })).toBe(1);
    expect(log.entries()).toEqual([
      { method: 'GET', path: '/data/projects', query: 'format=json', status: 200, user: 'admin', userAgent: 'node' },
      { method: 'GET', path: '/data/projects/test/subjects', query: 'format=csv', status: 200, user: 'guest', userAgent: 'node' },
      { method: 'GET', path: '/data/projects', query: '', status: 401, user: null, userAgent: 'node' },
      { method: 'GET', path: '/data/projects/nope', query: '', status: 404, user: 'admin', userAgent: 'pyxnat' },
    ]);
    log.clear();
    expect(log.count()).toBe(0);
  });
});

describe('fault injection', () => {
  it('answers an HTML error page with the given status and Retry-After, the given number of times', async () => {
    emulator().faults.add({ path: '/data/projects', status: 503, retryAfter: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await call(emulator(), '/data/projects?format=json');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.text()).toMatch(/^<html>/);
    }
    expect((await call(emulator(), '/data/projects?format=json')).status).toBe(200);
  });

  it('serves the login page as 200 HTML, like an expired session behind a proxy', async () => {
    emulator().faults.add({ path: /^\/data\/experiments/, body: 'html-login' });
    const res = await call(emulator(), '/data/experiments?format=json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/^<!DOCTYPE html>[\s\S]*password/);
  });

  it('serves truncated JSON', async () => {
    emulator().faults.add({ path: '/data/projects', method: 'GET', body: 'malformed-json' });
    const res = await call(emulator(), '/data/projects?format=json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(res.json()).rejects.toThrow();
  });

  it('drops the connection without an answer', async () => {
    emulator().faults.add({ path: '/data/projects', body: 'drop' });
    await expect(call(emulator(), '/data/projects?format=json')).rejects.toThrow();
    expect(emulator().requests.entries().at(-1)).toMatchObject({ path: '/data/projects', status: 0 });
  });

  it('delays the real answer, matching only the given method', async () => {
    emulator().faults.add({ path: '/data/projects', method: 'POST', status: 500 });
    emulator().faults.add({ path: '/data/projects', delayMs: 300 });
    const started = Date.now();
    const res = await call(emulator(), '/data/projects?format=json');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    emulator().faults.clear();
  });

  it('clears armed faults', async () => {
    emulator().faults.add({ path: '/data/projects', status: 500, times: 5 });
    emulator().faults.clear();
    expect((await call(emulator(), '/data/projects')).status).toBe(200);
  });
});

describe('latency', () => {
  const slow = useEmulator({ dataset: 'empty', latencyMs: 150 });

  it('adds the configured latency before every answer', async () => {
    const started = Date.now();
    const res = await call(slow(), '/data/projects?format=json');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await res.json()).ResultSet).toEqual({ Result: [], totalRecords: '0' });
  });

  it('answers /data/subjects with 500 for a user who can read no project, as XNAT does', async () => {
    expect((await call(slow(), '/data/subjects?format=json', { as: GUEST })).status).toBe(500);
    expect((await call(slow(), '/data/subjects?format=json')).status).toBe(200);
  });
});

describe('closing', () => {
  it('closes with an upload still in flight', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const local = await startEmulator({ dataset: 'demo' });
    const req = request(`${local.url}/data/projects/test/resources/r/files/a?inbody=true`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN), 'content-length': '100' },
    });
    const ended = new Promise<string>((resolve) => {
      req.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.once('response', (res) => resolve(`HTTP ${res.statusCode}`));
    });
    req.write('partial');
    await sleep(50);
    const closing = await Promise.race([local.close().then(() => 'closed'), sleep(5_000).then(() => 'still open after 5 s')]);
    expect(closing).toBe('closed');
    // The unfinished upload is cut off, not answered as if it had arrived whole.
    expect(await ended).toBe('ECONNRESET');
    await expect(fetch(`${local.url}/data/projects`)).rejects.toThrow();
  });
});
