import { afterAll, beforeAll } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';

export const ADMIN = 'admin:admin';
export const GUEST = 'guest:guest';

export function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** Starts one emulator for the enclosing test file and returns a getter for it. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ dataset: 'demo', ...options });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('emulator not started');
    return emulator;
  };
}

export interface CallOptions extends Omit<RequestInit, 'headers'> {
  as?: string | null;
  headers?: Record<string, string>;
}

/** fetch against the emulator, as admin unless `as` names other credentials (null: none). */
export function call(emulator: Emulator, path: string, options: CallOptions = {}): Promise<Response> {
  const { as = ADMIN, headers = {}, ...init } = options;
  return fetch(`${emulator.url}${path}`, {
    ...init,
    headers: { ...headers, ...(as === null ? {} : { authorization: basic(as) }) },
  });
}

export async function json(emulator: Emulator, path: string, as: string = ADMIN): Promise<any> {
  const res = await call(emulator, path, { as });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Parses the emulator's CSV (quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  const [header = [], ...rows] = records;
  return Object.assign(
    rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
    { header },
  );
}

export async function csv(emulator: Emulator, path: string, as: string = ADMIN) {
  const res = await call(emulator, path, { as });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return parseCsv(await res.text()) as Array<Record<string, string>> & { header: string[] };
}
