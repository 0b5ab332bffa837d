import type { IncomingMessage, ServerResponse } from 'node:http';
import { heapPolicy } from '../heap-policy.js';
import { sendError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { XnatAuth } from '../xnat/auth.js';
import { answerKept, type KeptAnswerDeps } from './kept-answers.js';
import type { UploadAdmission } from './upload-admission.js';
import {
  executeUpload,
  hasPreflightHeader,
  isFormEncoded,
  isMultipart,
  type OperationRunner,
  parseMultipart,
  type SpoolBudget,
} from './uploads.js';

export interface GraphQLRouteDeps {
  yoga: OperationRunner & ((req: IncomingMessage, res: ServerResponse) => Promise<void> | void);
  /** The caller's XNAT identity, as yoga's context resolves it (Basic, else a browser's sign-in, else the configured one); null: malformed. */
  authOf(req: IncomingMessage): XnatAuth | null;
  /** Who a caller is for its upload allowance (a credential HMAC, never the password). */
  callerOf(auth: XnatAuth): string;
  admission: UploadAdmission;
  limits: { maxFileSize: number; maxFiles: number };
  spoolBudget: SpoolBudget;
  logger: Logger;
  /** Repeated queries answered from the whole-answer cache in front of yoga (kept-answers.ts); absent: all go to yoga. */
  keptAnswers?: KeptAnswerDeps;
}

/**
 * `/graphql`: yoga, with multipart uploads taken in front of it so their files stream (uploads.ts)
 * once the caller has a place for them, and HTML-form bodies refused.
 */
export function graphqlRoute(deps: GraphQLRouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method === 'POST' && isFormEncoded(req)) {
      // An HTML form on any site can send this without a CORS preflight, and the gateway would run the
      // mutation with the configured (or the browser's cached Basic) credentials.
      return sendError(res, 'BAD_USER_INPUT', 'POST bodies must be application/json (or a multipart upload with a preflight header).', {
        status: 415,
        graphql: true,
      });
    }
    if (!(req.method === 'POST' && isMultipart(req))) {
      if (deps.keptAnswers && (await answerKept(req, res, deps.keptAnswers))) return;
      return deps.yoga(req, res);
    }
    if (!hasPreflightHeader(req)) {
      return sendError(
        res,
        'BAD_USER_INPUT',
        'Multipart requests need a non-empty apollo-require-preflight, x-apollo-operation-name or graphql-preflight header.',
        { graphql: true },
      );
    }
    const auth = deps.authOf(req);
    if (!auth) return sendError(res, 'UNAUTHENTICATED', 'The Authorization header is not valid HTTP Basic credentials.', { graphql: true });
    const caller = deps.callerOf(auth);
    const release = deps.admission.admit(caller);
    if (!release) return deps.admission.refuse(res, { graphql: true });
    res.once('close', release);
    res.once('close', heapPolicy.transfer());
    let uploadParams: unknown;
    try {
      uploadParams = await parseMultipart(req, res, deps.limits, {
        budget: deps.spoolBudget,
        caller,
        onSpool: (bytes, refused) =>
          deps.logger.info(
            { bytes, refused },
            refused
              ? 'upload part refused: out of order past the spool bound'
              : 'upload part spooled to disk (sent before the parts read first)',
          ),
      });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400;
      return sendError(res, 'BAD_USER_INPUT', (error as Error).message, { status, graphql: true });
    }
    await executeUpload(deps.yoga, req, res, uploadParams);
  };
}
