import type { ServerResponse } from 'node:http';
import { type ErrorAnswer, sendError } from '../errors.js';

/**
 * How many uploads each caller may have in flight at once. A caller is its credential (as the
 * cache identifies it: an HMAC, never the password), and every anonymous caller shares one
 * allowance, so no one caller can hold every connection with slow uploads.
 */
export class UploadAdmission {
  readonly #inFlight = new Map<string, number>();

  constructor(readonly perCaller: number) {}

  /** A function that gives the place back, or undefined when the caller is at its limit. */
  admit(caller: string): (() => void) | undefined {
    const count = this.#inFlight.get(caller) ?? 0;
    if (count >= this.perCaller) return undefined;
    this.#inFlight.set(caller, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(caller) ?? 1) - 1;
      if (left <= 0) this.#inFlight.delete(caller);
      else this.#inFlight.set(caller, left);
    };
  }

  /** 429 for a caller at its limit, before its body is read: the connection closes rather than drain a slow sender. */
  refuse(res: ServerResponse, answer: ErrorAnswer = {}): void {
    sendError(res, 'BAD_USER_INPUT', `This caller already has ${this.perCaller} uploads in flight; retry when one has finished.`, {
      ...answer,
      status: 429,
      headers: { ...answer.headers, 'retry-after': '5', connection: 'close' },
    });
  }
}
