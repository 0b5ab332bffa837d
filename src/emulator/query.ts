import { HttpError } from './responses.js';

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, 'Malformed query string');
  }
}

/**
 * A strictly decoded query string. URLSearchParams would pass `%zz` through silently; XNAT's
 * Restlet layer refuses such input, and so do we (400, never a crash).
 */
export class Query {
  readonly #params: Array<[string, string]>;

  constructor(raw: string) {
    this.#params = raw
      .split('&')
      .filter((part) => part !== '')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
      });
  }

  get(name: string): string | undefined {
    return this.#params.find(([key]) => key === name)?.[1];
  }

  all(name: string): string[] {
    return this.#params.filter(([key]) => key === name).map(([, value]) => value);
  }

  /** Every value of a repeatable, comma-separated parameter (`tags=a,b&tags=c`). */
  list(name: string): string[] {
    return this.all(name)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean);
  }

  has(name: string): boolean {
    return this.#params.some(([key]) => key === name);
  }

  isTrue(name: string): boolean {
    return this.get(name)?.toLowerCase() === 'true';
  }

  entries(): Array<[string, string]> {
    return [...this.#params];
  }

  /** The requested representation, lower-cased (XNAT matches `format` case-insensitively). */
  format(fallback: string): string {
    return (this.get('format') ?? fallback).toLowerCase();
  }
}
