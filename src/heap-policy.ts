import { setFlagsFromString } from 'node:v8';

/** The old generation may grow 10% past what its last full collection kept. */
const COMPACT = '--heap-growing-percent=10';
/** 0 gives V8 its own factor back. */
const V8_DEFAULT = '--heap-growing-percent=0';

/**
 * Keeps the gateway's old generation near what it holds, so a large answer costs about its own
 * size, except while files stream through the gateway.
 *
 * By default V8 lets the old generation grow to 1.1–4 times the heap that survived its last full
 * collection (more when collecting is fast beside allocating). A large answer reaches that limit
 * with its live rows and result tree and the executor's dead bookkeeping together, so its peak
 * follows the collection schedule rather than the answer (docs/benchmarks.md, "Where the memory
 * went"); bounded at 1.1 times, the peak follows what is live.
 *
 * A transfer is the opposite case: a heap bounded that tightly collects its old generation some
 * 40 times per GiB moved (once or twice with V8's sizing). While a download or an upload is in
 * flight, V8 sizes the heap its own way — for every request of the process, large answers
 * included.
 *
 * V8 reads the flag as it collects, so setting it at run time works. The policy is the process's
 * (V8's flags are), hence one instance.
 */
export class HeapPolicy {
  #enabled = false;
  #transfers = 0;
  #compactNow = false;

  constructor(private readonly setFlags: (flags: string) => void = setFlagsFromString) {}

  /** Turns the policy on; never called, it leaves V8's flags alone. */
  enable(): void {
    this.#enabled = true;
    this.#apply();
  }

  /** Marks a file transfer in flight until the returned function is called (once or more). */
  transfer(): () => void {
    this.#transfers++;
    this.#apply();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#transfers--;
      this.#apply();
    };
  }

  /** Transfers in flight, as the routes marked them. */
  get transfers(): number {
    return this.#transfers;
  }

  #apply(): void {
    if (!this.#enabled) return;
    const compact = this.#transfers === 0;
    if (compact === this.#compactNow) return;
    this.#compactNow = compact;
    this.setFlags(compact ? COMPACT : V8_DEFAULT);
  }
}

export const heapPolicy = new HeapPolicy();
