import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { hasPyxnat, PYTHON } from '../support/pyxnat.js';

// Debian's pyxnat lives with the system interpreter, not with whatever python3 is first on PATH.
const SCRIPT = fileURLToPath(new URL('./seed_walkthrough.py', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pyxnat 1.5 runs the seed walkthrough against the emulator', () => {
  let emulator: Emulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ dataset: 'demo' });
    dir = await mkdtemp(join(tmpdir(), 'pyxnat-test-'));
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // Outside CI a machine without python3-pyxnat skips; in CI a missing pyxnat fails loudly.
  it.skipIf(!hasPyxnat && !process.env.CI)('every walkthrough step succeeds', { timeout: 120_000 }, async () => {
    const config = join(dir, 'xnat_config.cfg');
    await writeFile(config, JSON.stringify({ server: emulator.url, user: 'admin', password: 'admin' }));
    const { code, stdout, stderr } = await run([SCRIPT, config], { ...process.env, XNAT_URL: emulator.url, HOME: dir });
    expect(stderr + stdout).toMatch(/pyxnat walkthrough: \d+ checks passed\s*$/);
    expect(code).toBe(0);

    const log = emulator.requests;
    // pyxnat connects lazily with one JSESSION request and ends the session on disconnect.
    expect(log.count({ method: 'GET', pathPrefix: '/data/JSESSION' })).toBe(1);
    expect(log.count({ method: 'DELETE', pathPrefix: '/data/JSESSION' })).toBe(1);
    expect(log.entries().every((e) => e.user === 'admin')).toBe(true);
    expect(log.entries().filter((e) => e.status >= 400)).toEqual([]);
  });
});
