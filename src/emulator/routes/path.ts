import { HttpError } from '../responses.js';

export type Level = 'projects' | 'subjects' | 'experiments' | 'scans' | 'resources' | 'files';

export interface Step {
  level: Level;
  /** The element after the collection keyword; undefined when the URL ends at the collection. */
  id?: string;
}

/**
 * An archive URL under /data: the chain of collection steps, and for `files` the remaining
 * path (nested folders allowed). `filePath` is '' for `…/files/` and undefined for `…/files`.
 */
export interface ArchivePath {
  steps: Step[];
  filePath?: string;
}

export type Route = { kind: 'jsession' } | { kind: 'archive'; path: ArchivePath } | { kind: 'unknown' };

/** Which collections may follow which: the restlet routes of XNATApplication that we emulate. */
const NEXT: Record<string, Level[]> = {
  '': ['projects', 'subjects', 'experiments'],
  'projects': ['subjects', 'experiments', 'resources', 'files'],
  'projects/subjects': ['experiments', 'resources', 'files'],
  'subjects': ['resources', 'files'],
  'experiments': ['scans', 'resources', 'files'],
  'scans': ['resources', 'files'],
  'resources': ['files'],
};

const PREFIXES = ['/data/archive', '/data', '/REST'];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Malformed URL');
  }
}

/** Refuses file paths that could step outside a resource: `..`, `.`, empty parts, backslashes, NUL. */
export function checkRelativePath(path: string): void {
  const parts = path.split('/');
  const unsafe = (p: string) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0');
  if (path !== '' && parts.some((p) => p === '' || unsafe(p))) {
    throw new HttpError(400, 'Invalid file path');
  }
}

function contextKey(steps: Step[]): string {
  const last = steps[steps.length - 1];
  if (!last) return '';
  if (last.level === 'subjects' && steps[0]?.level === 'projects') return 'projects/subjects';
  return last.level;
}

export function parseRoute(pathname: string): Route {
  const prefix = PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!prefix) return { kind: 'unknown' };
  const raw = pathname.slice(prefix.length).split('/').slice(1);
  if (raw.length === 1 && raw[0] === 'JSESSION') return { kind: 'jsession' };

  const steps: Step[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const level = raw[i] as Level;
    const previous = steps[steps.length - 1];
    if (previous && previous.id === undefined) return { kind: 'unknown' };
    if (!(NEXT[contextKey(steps)] ?? []).includes(level)) {
      // A trailing slash on a collection (`/data/projects/`) names the collection itself.
      return raw[i] === '' && i === raw.length - 1 && steps.length > 0 ? { kind: 'archive', path: { steps } } : { kind: 'unknown' };
    }
    if (level === 'files') {
      const rest = raw.slice(i + 1);
      if (rest.length === 0) return { kind: 'archive', path: { steps: [...steps, { level }] } };
      const filePath = rest.map(decodeSegment).join('/');
      checkRelativePath(filePath.replace(/\/$/, ''));
      return { kind: 'archive', path: { steps: [...steps, { level }], filePath } };
    }
    const segment = raw[i + 1];
    if (segment === undefined || segment === '') {
      steps.push({ level });
      if (segment === '' && i + 2 < raw.length) return { kind: 'unknown' };
      break;
    }
    steps.push({ level, id: decodeSegment(segment) });
  }
  return steps.length > 0 ? { kind: 'archive', path: { steps } } : { kind: 'unknown' };
}
