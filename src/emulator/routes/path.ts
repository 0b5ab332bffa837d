import { HttpError } from '../responses.js';
import { checkRelativePath } from '../file-paths.js';
import { decodeFilePath, javaUrlDecode, type FilePathDecoding } from '../versions.js';

export type Level = 'projects' | 'subjects' | 'experiments' | 'scans' | 'assessors' | 'reconstructions' | 'resources' | 'files';

export interface Step {
  level: Level;
  /** The element after the collection keyword; undefined when the URL ends at the collection. */
  id?: string;
  /**
   * A reconstruction's `{TYPE}` segment (`…/reconstructions/{id}/out/resources`): XNATTemplate's
   * `in` or `out` resources; absent means `out`.
   */
  resourceType?: 'in' | 'out';
}

/**
 * An archive URL under /data: the chain of collection steps, and for `files` the remaining
 * path (nested folders allowed). `filePath` is '' for `…/files/` and undefined for `…/files`.
 */
export interface ArchivePath {
  steps: Step[];
  filePath?: string;
}

export type Route =
  | { kind: 'jsession' }
  | { kind: 'accessibility'; project: string }
  | { kind: 'archive'; path: ArchivePath }
  | { kind: 'unknown' };

/** Which collections may follow which: the restlet routes of XNATApplication that we emulate. */
const NEXT: Record<string, Level[]> = {
  '': ['projects', 'subjects', 'experiments'],
  projects: ['subjects', 'experiments', 'resources', 'files'],
  'projects/subjects': ['experiments', 'resources', 'files'],
  subjects: ['resources', 'files'],
  experiments: ['scans', 'assessors', 'reconstructions', 'resources', 'files'],
  scans: ['resources', 'files'],
  assessors: ['resources', 'files'],
  reconstructions: ['resources', 'files'],
  resources: ['files'],
};

const PREFIXES = ['/data/archive', '/data', '/REST'];

/**
 * The servlet container refuses a URL whose `%` escapes are malformed before XNAT sees it; a
 * well-formed one reaches Restlet undecoded.
 */
function checkEscapes(pathname: string): void {
  if (/%(?![0-9A-Fa-f]{2})/.test(pathname)) throw new HttpError(400, 'Malformed URL');
}

/**
 * A route variable as XNAT reads it: SecureResource.getParameter hands project, subject,
 * experiment and resource segments over undecoded (Restlet's Variable decodes nothing); only
 * SCAN_ID (and RECON_ID) go through getUrlEncodedParameter, i.e. URLDecoder.
 */
function routeVariable(level: Level, raw: string): string {
  return level === 'scans' || level === 'reconstructions' ? javaUrlDecode(raw) : raw;
}

function contextKey(steps: Step[]): string {
  const last = steps[steps.length - 1];
  if (!last) return '';
  if (last.level === 'subjects' && steps[0]?.level === 'projects') return 'projects/subjects';
  return last.level;
}

export function parseRoute(pathname: string, filePaths: FilePathDecoding): Route {
  checkEscapes(pathname);
  const prefix = PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!prefix) return { kind: 'unknown' };
  const segments = pathname.slice(prefix.length).split('/').slice(1);
  if (segments.length === 1 && segments[0] === 'JSESSION') return { kind: 'jsession' };
  if (segments.length === 3 && segments[0] === 'projects' && segments[2] === 'accessibility' && segments[1]) {
    // A route variable: XNAT takes it as sent (SecureResource.getParameter).
    return { kind: 'accessibility', project: segments[1] };
  }

  const steps: Step[] = [];
  const archive = (path: ArchivePath): Route => ({ kind: 'archive', path });
  for (let i = 0; i < segments.length; i += 2) {
    const previous = steps[steps.length - 1];
    const type = segments[i];
    if (
      previous?.level === 'reconstructions' &&
      previous.id !== undefined &&
      (type === 'in' || type === 'out') &&
      i + 1 < segments.length
    ) {
      // `/reconstructions/{RECON_ID}/{TYPE}/resources|files` (XNATApplication): the type, then the collection.
      previous.resourceType = type;
      i -= 1;
      continue;
    }
    const level = segments[i] as Level;
    if (!(NEXT[contextKey(steps)] ?? []).includes(level)) {
      // A trailing slash after an element (`/data/projects/test/`) names the element itself.
      const trailingSlash = segments[i] === '' && i === segments.length - 1 && steps.length > 0;
      return trailingSlash ? archive({ steps }) : { kind: 'unknown' };
    }
    if (level === 'files') {
      const rest = segments.slice(i + 1);
      if (rest.length === 0) return archive({ steps: [...steps, { level }] });
      const filePath = decodeFilePath(rest.join('/'), filePaths);
      checkRelativePath(filePath.replace(/\/$/, ''));
      return archive({ steps: [...steps, { level }], filePath });
    }
    const id = segments[i + 1];
    if (id === undefined || (id === '' && i + 2 === segments.length)) return archive({ steps: [...steps, { level }] });
    if (id === '') return { kind: 'unknown' };
    steps.push({ level, id: routeVariable(level, id) });
  }
  return steps.length > 0 ? archive({ steps }) : { kind: 'unknown' };
}
