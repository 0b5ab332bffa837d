import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../src/emulator/index.js';
import { ADMIN, basic, type Credentials } from './stack.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliEntry = fileURLToPath(new URL('../../bin/xnat-graphql.js', import.meta.url));
export const builtCli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Fails with a clear message when the CLI has not been compiled (`npm test` builds first). */
export function assertBuilt(): void {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run "npm run build" before the CLI tests (npm test does).`);
}

export const codes = (response: { errors?: { extensions?: { code?: string } }[] }) => response.errors?.map((e) => e.extensions?.code);

/** A child process of the CLI, with its output collected as it arrives. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** When the first stderr output arrived (Date.now()), if any. */
  stderrAt(): number | undefined;
  /** Resolves with the first match of `pattern` in stdout; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name) once the process ended; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>;
  stop(): Promise<void>;
}

/** Runs the repository's CLI, or another copy of it (`entry`, e.g. one installed from the packed tarball). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; entry?: string; cwd?: string } = {}): CliProcess {
  assertBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
  for (const name of ['XNAT_URL', 'XNAT_USER', 'XNAT_PASSWORD', 'PORT', 'HOST'])
    if (!options.env || !(name in options.env)) delete env[name];
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(process.execPath, [options.entry ?? cliEntry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let errAt: number | undefined;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errAt ??= Date.now();
    err += chunk;
  });
  const exit = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? signal ?? -1));
  });
  let ended = false;
  void exit.then(() => (ended = true));

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    stderrAt: () => errAt,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const onExit = () => {
          cleanup();
          reject(new Error(`CLI exited before printing ${pattern}; stdout: ${out} stderr: ${err}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`CLI did not print ${pattern} within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('close', onExit);
        };
        child.stdout!.on('data', check);
        child.once('close', onExit);
        check();
        if (ended) onExit();
      });
    },
    exited(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`CLI still running after ${timeoutMs} ms; stdout: ${out} stderr: ${err}`)),
          timeoutMs,
        );
        void exit.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** GET with Basic auth (or none), returning status, headers and the whole body. */
export async function download(url: string, auth: Credentials | null = ADMIN, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { ...headers, ...(auth ? { authorization: basic(auth) } : {}) } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A resource's files as XNAT itself lists them (null when the resource does not exist). */
export async function xnatFiles(emulator: Emulator, resourcePath: string): Promise<{ Name: string; Size: string; URI: string }[] | null> {
  const get = (path: string) => fetch(`${emulator.url}${path}?format=json`, { headers: { authorization: basic(ADMIN) } });
  // XNAT lists no files, rather than 404, for a label no resource has: ask the owner's resources.
  const [owner, label] = [resourcePath.slice(0, resourcePath.lastIndexOf('/resources/')), resourcePath.split('/').pop()];
  const resources = await get(`${owner}/resources`);
  if (resources.status === 404) {
    await resources.arrayBuffer();
    return null;
  }
  const listed = (await resources.json()) as { ResultSet: { Result: { label: string }[] } };
  if (!listed.ResultSet.Result.some((r) => r.label === label)) return null;
  const response = await get(`${resourcePath}/files`);
  if (!response.ok) throw new Error(`${resourcePath}/files: HTTP ${response.status}`);
  const body = (await response.json()) as { ResultSet: { Result: { Name: string; Size: string; URI: string }[] } };
  return body.ResultSet.Result;
}

/** How many projects XNAT itself lists to `auth` (null: anonymous), to compare the gateway's answer with. */
export async function xnatProjectCount(xnatUrl: string, auth: Credentials | null = ADMIN): Promise<number> {
  const response = await fetch(`${xnatUrl}/data/projects?format=json&columns=ID`, { headers: auth ? { authorization: basic(auth) } : {} });
  if (!response.ok) throw new Error(`/data/projects: HTTP ${response.status}`);
  return ((await response.json()) as { ResultSet: { Result: unknown[] } }).ResultSet.Result.length;
}
