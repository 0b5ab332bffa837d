import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { basicChallenge, type ErrorCode, httpStatusOf, isErrorCode, sendError } from '../errors.js';
import type { UploadAdmission } from './upload-admission.js';
import { hasPreflightHeader, runParsed, type OperationRunner } from './uploads.js';
import { heapPolicy } from '../heap-policy.js';

/**
 * `PUT /upload/<parent id>/<resource>/<path…>?overwrite=&extract=`: one file as the raw request
 * body, with its `Content-Length`. The gateway runs the `uploadFile` mutation with that body as
 * the file, so names, duplicates, overwrite, rights and the check against XNAT's listing are the
 * mutation's, and the answer is the mutation's JSON. Knowing the length, the gateway hands XNAT
 * the body itself (`inbody=true`) instead of re-encoding it as a multipart part.
 */
export interface RawUploadDeps {
  yoga: OperationRunner;
  admission: UploadAdmission;
  /** Who sends the request, for its upload allowance; undefined for credentials yoga answers 401 before the body is read. */
  callerOf(req: IncomingMessage): string | undefined;
  /** Largest file accepted (--max-upload-bytes). */
  maxFileSize: number;
  /** Browser origins allowed cross-site (--cors-origin). */
  corsOrigins: readonly string[];
  /** Where clients reach the gateway (--public-url), an origin of its own. */
  publicUrl?: string;
}

/** Every scalar of the uploaded File: the raw route has no selection set of its own. */
const RAW_UPLOAD_DOCUMENT = /* GraphQL */ `
  mutation UploadFile($parent: ID!, $resource: String!, $file: Upload!, $name: String, $overwrite: Boolean, $extract: Boolean) {
    uploadFile(parent: $parent, resource: $resource, file: $file, name: $name, overwrite: $overwrite, extract: $extract) {
      id
      uri
      name
      path
      size
      format
      content
      tags
      digest
      downloadUrl
    }
  }
`;

interface Target {
  parent: string;
  resource: string;
  name: string;
}

function targetOf(path: string): Target | null {
  const segments = path.split('/').slice(2);
  if (segments.length < 3 || segments.some((s) => s === '')) return null;
  try {
    const [parent, resource, ...name] = segments.map(decodeURIComponent);
    return { parent: parent!, resource: resource!, name: name.join('/') };
  } catch {
    return null;
  }
}

function flag(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return null;
}

function listed(deps: RawUploadDeps, origin: string): boolean {
  return origin !== 'null' && deps.corsOrigins.some((allowed) => new URL(allowed).origin === origin);
}

/**
 * The origin a browser sent, when it is neither the gateway's own nor one the operator listed.
 * PUT is not a method a page of another site can send without a CORS preflight, which the gateway
 * grants only to listed origins; refusing the rest here as well keeps a stray grant from mattering.
 */
function foreignOrigin(req: IncomingMessage, deps: RawUploadDeps): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (listed(deps, origin)) return undefined;
  if (deps.publicUrl && new URL(deps.publicUrl).origin === origin) return undefined;
  try {
    if (origin !== 'null' && new URL(origin).host === req.headers.host) return undefined;
  } catch {
    // not a URL: foreign
  }
  return origin;
}

function corsHeaders(req: IncomingMessage, deps: RawUploadDeps): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !listed(deps, origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}

/**
 * The request body as the file, holding each chunk back until the next one arrives. Node's HTTP
 * parser reads exactly `Content-Length` bytes as the body; bytes past it that are no request are
 * a parse error that closes the socket. The last chunk goes to XNAT only once that has had its
 * chance to happen, so a body longer than announced fails the upload before XNAT has it whole
 * (and XNAT stores nothing); a shorter one fails when the client gives up.
 */
function announcedBody(req: IncomingMessage): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let held: Buffer | undefined;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (held) yield held;
      held = chunk;
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (req.socket.destroyed) throw new Error('the request carried more bytes than its Content-Length');
    if (held) yield held;
  }
  return Readable.from(chunks(), { objectMode: false });
}

export async function serveRawUpload(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  params: URLSearchParams,
  deps: RawUploadDeps,
): Promise<void> {
  const cors = corsHeaders(req, deps);
  if (req.method === 'OPTIONS') {
    const granted = 'access-control-allow-origin' in cors;
    const requested = req.headers['access-control-request-headers'];
    res
      .writeHead(204, {
        ...cors,
        ...(granted ? { 'access-control-allow-methods': 'PUT', 'access-control-max-age': '600' } : {}),
        ...(granted && requested ? { 'access-control-allow-headers': requested } : {}),
      })
      .end();
    return;
  }
  // Answers given before the body was read close the connection, so it is not read in vain.
  const refuse = (code: ErrorCode, message: string, status?: number) =>
    sendError(res, code, message, { status, headers: { ...cors, connection: 'close' } });
  if (req.method !== 'PUT') {
    res.writeHead(405, { allow: 'PUT, OPTIONS', connection: 'close' }).end();
    return;
  }
  if (!hasPreflightHeader(req)) {
    return refuse(
      'BAD_USER_INPUT',
      'Uploads need a non-empty apollo-require-preflight, x-apollo-operation-name or graphql-preflight header.',
    );
  }
  const foreign = foreignOrigin(req, deps);
  if (foreign) return refuse('FORBIDDEN', `Uploads from ${foreign} are not allowed (--cors-origin lists the origins that may).`);
  const target = targetOf(path);
  if (!target) return refuse('NOT_FOUND', 'Upload to /upload/<parent id>/<resource>/<file path>.', 404);
  const overwrite = flag(params, 'overwrite');
  const extract = flag(params, 'extract');
  if (overwrite === null || extract === null) return refuse('BAD_USER_INPUT', 'overwrite and extract take true or false.');
  const announced = req.headers['content-length'];
  if (announced === undefined || req.headers['transfer-encoding'] !== undefined) {
    return refuse(
      'BAD_USER_INPUT',
      'Send the file with a Content-Length (not chunked): XNAT takes a file as the request body only when its length is known.',
      411,
    );
  }
  const size = Number(announced);
  if (size > deps.maxFileSize)
    return refuse('BAD_USER_INPUT', `The file exceeds the size limit of this gateway (${deps.maxFileSize} bytes).`, 413);

  const caller = deps.callerOf(req);
  const release = caller === undefined ? () => {} : deps.admission.admit(caller);
  if (!release) return deps.admission.refuse(res, { headers: cors });
  res.once('close', release);
  res.once('close', heapPolicy.transfer());

  let taken = false;
  const file = {
    filename: target.name.split('/').pop() ?? target.name,
    size,
    mimetype: 'application/octet-stream',
    createReadStream: () => {
      if (taken) throw new Error('the file was already read');
      taken = true;
      return announcedBody(req);
    },
  };
  const uploadParams = {
    query: RAW_UPLOAD_DOCUMENT,
    operationName: 'UploadFile',
    variables: { ...target, overwrite, extract, file: { promise: Promise.resolve(file) } },
  };
  const response = await runParsed(deps.yoga, req, uploadParams, { accept: 'application/json' });
  const text = await response.text();
  // A body cut off for silence was answered already (408).
  if (res.headersSent) return;
  let status = response.status;
  if (status === 200) {
    const code = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
    if (code) status = isErrorCode(code) ? httpStatusOf(code) : 500;
  }
  const headers: Record<string, string> = {
    ...cors,
    'content-type': 'application/json; charset=utf-8',
    ...(status === 401 ? basicChallenge : {}),
  };
  if (!req.complete) headers['connection'] = 'close';
  res.writeHead(status, headers).end(text);
}
