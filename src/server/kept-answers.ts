import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { XnatAuth } from '../xnat/auth.js';
import type { AnswerParams, GatewayResponseCache } from './response-cache.js';

/** Bodies up to this size are read whole in front of yoga; larger ones (uploads aside, rare) go to it as a stream. */
const maxBody = 64 * 1024;

export interface KeptAnswerDeps {
  answers: GatewayResponseCache;
  /** The caller's XNAT identity, as yoga's context resolves it (null: malformed). */
  authOf(req: IncomingMessage): XnatAuth | null;
  /** Whether a browser origin gets CORS headers (then yoga answers, to add them). */
  corsAllows(origin: string): boolean;
}

/**
 * The media type yoga answers a regular (not streamed) result with for this `Accept` header, by
 * yoga's own negotiation (its result processors): of the media types the client lists, the first
 * one that `application/graphql-response+json` or `application/json` matches, `application/json`
 * preferred when both do. Undefined when neither matches (yoga answers 406, or streams).
 */
function regularMediaType(accept: string | undefined): string | undefined {
  let chosen: string | undefined;
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  for (const entry of asked.reverse()) {
    const [mediaType, ...params] = entry.split(';');
    if (!mediaType) continue;
    // yoga serves only UTF-8.
    const charset = params.find((p) => p.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8') continue;
    const [type, subtype] = mediaType.split('/');
    for (const offered of ['application/graphql-response+json', 'application/json']) {
      const [offeredType, offeredSubtype] = offered.split('/');
      if ((type === '*' || type === offeredType) && (subtype === '*' || subtype === offeredSubtype)) chosen = offered;
    }
  }
  return chosen;
}

/** The parameters of a plain JSON GraphQL request, as yoga accepts them; undefined for anything else (yoga judges it). */
function plainParams(body: Buffer): AnswerParams | undefined {
  let params: unknown;
  try {
    params = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const { query, operationName, variables, extensions, ...others } = params as Record<string, unknown>;
  if (Object.keys(others).length > 0 || typeof query !== 'string') return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) return undefined;
  return { query, operationName: operationName as string | null | undefined, variables };
}

const isJson = (req: IncomingMessage) => /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');

/**
 * A repeated query answered from the whole-answer cache before yoga: dashboards poll the same few
 * queries all day, and yoga's request pipeline (fetch Request and Response objects, body streams,
 * plugin hooks) costs more than the lookup itself. Only plain JSON POSTs of a known length are
 * read here; the answer goes out with the headers yoga sends for it (content type by the same
 * negotiation, `Vary: Origin`). Everything else — a miss, an unproven credential, a
 * `Cache-Control` header, a CORS origin, an Accept header yoga would answer otherwise, parameters
 * yoga might refuse — goes on to yoga, which gets the body already read (as `req.body`, which
 * yoga's server adapter takes in place of the stream). Resolves true once the request needs nothing more.
 */
export async function answerKept(req: IncomingMessage, res: ServerResponse, deps: KeptAnswerDeps): Promise<boolean> {
  const length = Number(req.headers['content-length']);
  if (req.method !== 'POST' || !isJson(req) || !(length > 0 && length <= maxBody)) return false;
  const origin = req.headers.origin;
  const mediaType = regularMediaType(req.headers.accept);
  const host = req.headers.host;
  // Refused before the body is read: yoga then reads the stream itself.
  if (!mediaType || !host || (origin !== undefined && deps.corsAllows(origin))) return false;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // Cut off for slowness (answered 408 already) or abandoned by the client: nothing to answer.
    return true;
  }
  const body = Buffer.concat(chunks);
  // From here on yoga reads this copy, whatever is decided.
  (req as IncomingMessage & { body?: Buffer }).body = body;
  const params = plainParams(body);
  if (!params) return false;
  let requestOrigin: string;
  try {
    // As yoga's adapter builds the request URL; downloadUrls (and so the key) depend on it.
    requestOrigin = new URL(`${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return false;
  }
  const text = await deps.answers.keptAnswer(
    { auth: deps.authOf(req), origin: requestOrigin, cacheControl: req.headers['cache-control'] },
    params,
  );
  if (text === undefined) return false;
  res.writeHead(200, { 'Content-Type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(text), vary: 'Origin' });
  res.end(text);
  return true;
}
