import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Debian's pyxnat lives in the system Python, which need not be the first `python3` on PATH. */
export const PYTHON = '/usr/bin/python3';

export const hasPyxnat = spawnSync(PYTHON, ['-c', 'import pyxnat']).status === 0;

interface Login {
  server: string;
  user: string;
  password: string;
}

/**
 * Runs a pyxnat script as `login` and resolves its stdout. The script gets a pyxnat config file
 * as its first argument, then `args`; it runs with a fresh HOME (pyxnat keeps a cache there),
 * removed afterwards. `files` are written into that folder first, and `args` may name them by
 * the path `args` receives.
 */
export async function runPyxnat(
  script: string,
  login: Login,
  args: (home: string) => string[],
  options: { files?: Record<string, string>; timeoutMs?: number; maxBuffer?: number } = {},
): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'pyxnat-'));
  try {
    const config = join(home, 'login.cfg');
    await writeFile(config, JSON.stringify(login));
    for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(home, name), content);
    const { stdout } = await promisify(execFile)(PYTHON, [script, config, ...args(home)], {
      env: { ...process.env, HOME: home },
      timeout: options.timeoutMs ?? 120_000,
      ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
    });
    return stdout;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
