/**
 * How old a cached listing a request accepts, from its own `Cache-Control` header (RFC 9111
 * §5.2.1): `no-cache` or `max-age=0` → 0 (ask XNAT, then refresh the cache with its answer);
 * `max-age=N` → N seconds; nothing → undefined (the cache's own TTL decides).
 */
export function acceptedAgeMs(cacheControl: string | null | undefined): number | undefined {
  if (!cacheControl) return undefined;
  let maxAgeMs: number | undefined;
  for (const directive of cacheControl.toLowerCase().split(',')) {
    const [name, value] = directive
      .trim()
      .split('=', 2)
      .map((part) => part.trim());
    if (name === 'no-cache') return 0;
    if (name === 'max-age' && value !== undefined && /^"?\d+"?$/.test(value)) {
      const ms = Number(value.replace(/"/g, '')) * 1000;
      maxAgeMs = Math.min(maxAgeMs ?? ms, ms);
    }
  }
  return maxAgeMs;
}
