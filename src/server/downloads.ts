import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import type { XnatAuth } from '../xnat/auth.js';
import type { XnatClient } from '../xnat/client.js';
import { codeOf, gatewayError, sendError } from '../errors.js';
import { type DownloadTarget, RequestStats, XnatArchive } from '../xnat/archive.js';
import type { OwnerRef } from '../xnat/records.js';
import { decodeNodeId } from '../schema/ids.js';
import { childIdOf, isSessionChildRef, LEVELS } from '../levels.js';
import { heapPolicy } from '../heap-policy.js';

/** Headers that describe the bytes; everything else of XNAT's answer stays behind the gateway. */
const passedThrough = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag', 'cache-control'];

/** What a download URL asks XNAT for, and how to name what comes back. */
interface Wanted {
  target: DownloadTarget;
  /** The saved name, given the name XNAT chose (if it sent one). */
  filename(xnatName: string | undefined): string;
}

/** A name part that stays one readable token of a file name. */
function namePart(value: string): string {
  return value.replace(/[^\w.+-]/g, '_');
}

/**
 * A zip's saved name: XNAT names every zip after the archive directory it starts in (session
 * label, subject label or project ID; FileList.getArchiveDirectoryName), so several zips of one
 * session would collide. The parts below that directory make each name unique.
 */
function zipName(xnatName: string | undefined, fallbackStem: string, parts: string[]): string {
  const stem = xnatName?.replace(/\.zip$/i, '') || fallbackStem;
  return `${[stem, ...parts].map(namePart).join('_')}.zip`;
}

/** The archive directory XNAT starts a zip in: the owner's session, else its subject, else its project. */
function ownerStem(owner: OwnerRef): string {
  return 'experiment' in owner ? owner.experiment : 'subject' in owner ? owner.subject : owner.project;
}

/**
 * What a download URL stands for: `/download/file/<File id>`, `/download/resource/<Resource id>`,
 * `/download/scan/<Scan id>[?resource=L…]` or `/download/experiment/<Experiment id>[?scanType=T…][&resource=L…]`
 * (zips). The URL ends in an opaque id, so the gateway tells the browser the name to save under.
 */
function wantedOf(path: string, params: URLSearchParams): Wanted {
  const match = /^\/download\/(file|resource|scan|experiment)\/([^/]+)$/.exec(path);
  if (!match?.[1] || !match[2]) throw gatewayError('NOT_FOUND', 'No such download.');
  const node = decodeNodeId(match[2]);
  const resources = params.getAll('resource');
  if (match[1] === 'file' && node.level === 'file') {
    const name = node.ref.path.split('/').pop() ?? node.ref.path;
    return { target: { kind: 'file', ref: node.ref }, filename: (xnatName) => xnatName ?? name };
  }
  if (match[1] === 'resource' && node.level === 'resource') {
    const { owner, label } = node.ref;
    // A child whose ID is unique only within its session (a scan, a reconstruction) is named in the zip's name.
    const parts = isSessionChildRef(owner) && LEVELS[owner.kind].resourceListing === 'under-sessions' ? [childIdOf(owner), label] : [label];
    return { target: { kind: 'resource', ref: node.ref }, filename: (xnatName) => zipName(xnatName, ownerStem(owner), parts) };
  }
  if (match[1] === 'scan' && node.level === 'scan') {
    const parts = resources.length > 0 ? [node.ref.scan, resources.join('+')] : [node.ref.scan];
    return { target: { kind: 'scan', ref: node.ref, resources }, filename: (xnatName) => zipName(xnatName, node.ref.experiment, parts) };
  }
  if (match[1] === 'experiment' && node.level === 'experiment') {
    const scanTypes = params.getAll('scanType');
    const parts = [scanTypes.length > 0 ? scanTypes.join('+') : 'scans', ...(resources.length > 0 ? [resources.join('+')] : [])];
    return {
      target: { kind: 'experiment', ref: node.ref, scanTypes, resources },
      filename: (xnatName) => zipName(xnatName, node.ref.experiment, parts),
    };
  }
  throw gatewayError('BAD_USER_INPUT', `That id is not a ${match[1]}.`);
}

/** The file name XNAT chose (a zip is named after its session), if it sent one. */
function filenameOf(disposition: string | string[] | undefined): string | undefined {
  const value = Array.isArray(disposition) ? disposition[0] : disposition;
  return value ? /filename="?([^";]+)"?/i.exec(value)?.[1] : undefined;
}

/** RFC 6266: a plain ASCII fallback name plus the exact UTF-8 name. */
function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * Streams a file or a resource's zip from XNAT with the caller's credentials. Range requests are
 * forwarded so a broken download can resume; a client that goes away aborts the XNAT request.
 */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { xnat: XnatClient; auth: XnatAuth | null; path: string; params: URLSearchParams },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (!deps.auth) return sendError(res, 'UNAUTHENTICATED', 'The Authorization header is not valid HTTP Basic credentials.');
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const wanted = wantedOf(deps.path, deps.params);
    const headers: Record<string, string> = {};
    for (const name of ['range', 'if-range', 'if-modified-since', 'if-none-match']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const archive = new XnatArchive(deps.xnat, deps.auth, new RequestStats());
    const answer = await archive.download(wanted.target, { method: req.method === 'HEAD' ? 'HEAD' : 'GET', headers, signal: abort.signal });
    if (answer.unsatisfiable) {
      return sendError(res, 'BAD_USER_INPUT', 'The requested range is not satisfiable.', {
        status: 416,
        headers: answer.contentRange ? { 'content-range': answer.contentRange } : {},
      });
    }
    const out: Record<string, string> = {};
    for (const name of passedThrough) {
      const value = answer.headers[name];
      if (typeof value === 'string') out[name] = value;
    }
    // Always a download, never rendered: an uploaded HTML file must not run on the gateway's
    // origin, which also serves GraphiQL and may hold a user's credentials.
    out['content-disposition'] = attachment(wanted.filename(filenameOf(answer.headers['content-disposition'])));
    out['x-content-type-options'] = 'nosniff';
    out['content-security-policy'] = 'sandbox';
    res.writeHead(answer.status, out);
    const transferred = heapPolicy.transfer();
    try {
      await pipeline(answer.body, res);
    } finally {
      transferred();
    }
  } catch (error) {
    if (abort.signal.aborted) return;
    if (res.headersSent) {
      res.destroy(error as Error);
      return;
    }
    if (error instanceof GraphQLError) return sendError(res, codeOf(error), error.message);
    throw error;
  }
}
