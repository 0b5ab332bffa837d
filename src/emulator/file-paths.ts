import { HttpError } from './responses.js';

/** Refuses file paths that could step outside a resource: `..`, `.`, empty parts, backslashes, NUL. */
export function checkRelativePath(path: string): void {
  const parts = path.split('/');
  const unsafe = (p: string) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0');
  if (path !== '' && parts.some((p) => p === '' || unsafe(p))) {
    throw new HttpError(400, 'Invalid file path');
  }
}
