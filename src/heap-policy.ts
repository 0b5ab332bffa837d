import { setFlagsFromString } from 'node:v8';

/**
 * Keeps the gateway's V8 heap near what it holds, so a large answer costs about its own size.
 *
 * By default V8 lets the old generation grow to 1.1–4 times the heap that survived its last full
 * collection (more when collecting is fast beside allocating), and doubles the young generation's
 * semi-spaces up to 16 MiB each while allocation runs hot. A large answer reaches those limits
 * with its live rows and result tree and the executor's dead bookkeeping together, so its peak
 * follows the collection schedule rather than the answer (docs/benchmarks.md, "Where the memory
 * went"). With the old generation allowed 10% over what survived, and the semi-spaces kept at
 * their starting size, bench:100's scan resources (a 4.4 MB answer) peak at about 115 MiB over
 * an idle gateway instead of about 190, for the cost of more, smaller collections.
 *
 * Both flags are read by V8 as it collects, so setting them at run time works; it must happen
 * before the gateway's modules load, while the young generation is still at its starting size.
 * The V8 of Node 22 and 24 sets a minimum of 2 for the semi-space growth factor; where it holds,
 * only the old generation's bound applies.
 */
export function keepHeapCompact(): void {
  setFlagsFromString('--heap-growing-percent=10');
  setFlagsFromString('--semi-space-growth-factor=1');
}
