/** Deterministic pseudo-random numbers, so generated datasets are byte-identical on every start. */

/** 32-bit FNV-1a hash of a string, used to derive seeds from names. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: small, fast and good enough for test data. */
export function createRandom(seed: number | string): Random {
  let state = (typeof seed === 'string' ? hashString(seed) : seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (probability) => next() < probability,
  };
}

/**
 * A DICOM UID under the UUID-derived root 2.25 (PS3.5 B.2), stable for a given name, so the
 * same session always carries the same StudyInstanceUID.
 */
export function uidFor(name: string): string {
  const random = createRandom(name);
  let value = 0n;
  for (let i = 0; i < 4; i++) value = (value << 32n) | BigInt(Math.floor(random.next() * 4294967296));
  // 2.25 UIDs are a 128-bit integer without leading zeros.
  return `2.25.${value === 0n ? 1n : value}`;
}
