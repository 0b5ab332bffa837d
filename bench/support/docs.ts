/** docs/benchmarks.md: each benchmark script replaces only its own `## …` section. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './processes.js';

export const benchmarksDoc = join(repoRoot, 'docs', 'benchmarks.md');

/**
 * Replaces the section whose heading line is exactly `heading` (up to the next `## ` heading)
 * with `body` (which must start with that heading), or appends it when absent. Everything else in
 * the file is left byte for byte. Reads and writes in one go to keep the window for concurrent
 * writers small.
 */
export async function replaceSection(heading: string, body: string): Promise<string> {
  if (!body.startsWith(`${heading}\n`)) throw new Error(`section body must start with "${heading}"`);
  await mkdir(dirname(benchmarksDoc), { recursive: true });
  const current = existsSync(benchmarksDoc) ? await readFile(benchmarksDoc, 'utf8') : '# Benchmarks\n';
  const section = body.replace(/\n*$/, '\n');
  const lines = current.split('\n');
  const start = lines.indexOf(heading);
  let next: string;
  if (start < 0) {
    next = `${current.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n');
    const after = lines.slice(end).join('\n');
    next = `${before}${before ? '\n' : ''}${section}${after ? `\n${after}` : ''}`;
  }
  await writeFile(benchmarksDoc, next);
  return benchmarksDoc;
}

/** "2026-11-26T01:19:47Z, Node v20.20.2, 2 × AMD EPYC" */
export function runEnvironment(): string {
  const load = loadavg()[0] ?? NaN;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${now}, Node ${process.version}, ${cpus().length} × ${cpu}, load average ${load.toFixed(1)} at start`;
}

/** A Markdown table; `align` per column, 'r' right-aligned. */
export function markdownTable(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
