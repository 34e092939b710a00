import type { Problem } from '@lockstep/contract';
import { isWriteConflict } from '@lockstep/db';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError, writeConflict } from '../../core/api-error.js';
import type { IdempotencyService } from '../../idempotency/idempotency-keys.js';
import type { RequestData } from '../../telemetry/query-spans.js';
import { problem, problemOf, sendProblem } from '../problem-response.js';
import { contextOf, requestFields } from '../request-context.js';
import { recordRefusal } from './idempotency.js';
import { BODY_LIMIT_BYTES } from './json-body.js';

/** The errors body-parser raises carry a `type` naming what went wrong. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && 'type' in error && 'status' in error && typeof error.type === 'string';

/** Turns what body-parser reports into the problem this API promises. */
function bodyParserProblem(error: BodyParserError) {
  switch (error.type) {
    case 'entity.parse.failed':
      return problem(400, `The body is not valid JSON: ${error.message}`);
    case 'entity.too.large':
      return problem(413, `The body is larger than the limit of ${BODY_LIMIT_BYTES} bytes.`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return problem(415, `${error.message}; send UTF-8 JSON.`);
    default:
      return problem(error.status >= 400 && error.status < 500 ? error.status : 400, 'The body could not be read.');
  }
}

const statusOf = (error: object): number | undefined => {
  const status = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
};

/**
 * Problems the request itself caused before any route saw it, which libraries report in their
 * own ways: a malformed percent-escape in the path (the router's URIError, status 400), a body
 * that is not the compressed data its Content-Encoding claims (zlib), or any other error that
 * carries a 4xx status. Never a 500: the client can fix them.
 */
function clientFault(error: unknown) {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? String(error.code) : '';
  if (code.startsWith('Z_')) {
    return problem(400, 'The body is not valid data in the Content-Encoding the request names (gzip, deflate, br).');
  }
  const status = statusOf(error);
  if (status === undefined || status < 400 || status > 499) return undefined;
  if (error instanceof URIError) return problem(400, 'The path contains a malformed percent-escape.');
  return problem(status, 'The request could not be read.');
}

/**
 * The last middleware: every error becomes problem+json. Unexpected errors are logged with the
 * request id and answered with a bare 500 that names the id, never the stack or the SQL.
 */
export function errorHandler(
  logger: Logger,
  idempotency: IdempotencyService,
  dataOf: RequestData,
): ErrorRequestHandler {
  return async function errorHandler(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    // A refusal of an idempotent request is recorded before it is sent, so its retry replays it.
    const send = (body: Problem) =>
      sendProblem(req, res, body, (text) =>
        recordRefusal(idempotency, res, contextOf(req).idempotency, text, dataOf(req)).catch((failure: unknown) =>
          logger.error({ err: failure, ...requestFields(req) }, 'could not record an idempotent refusal'),
        ),
      );
    const known = problemOf(error);
    if (known) {
      if (error instanceof ApiError) res.set(error.headers);
      await send(known);
      return;
    }
    const fault = isBodyParserError(error) ? bodyParserProblem(error) : clientFault(error);
    if (fault) {
      await send(fault);
      return;
    }
    if (isWriteConflict(error)) {
      // A transaction that kept losing to concurrent ones, retried already (`writeConflict`).
      logger.warn(requestFields(req), 'write conflict outlasted its retries');
      const conflict = writeConflict();
      res.set(conflict.headers);
      await send(problem(conflict.status, conflict.message));
      return;
    }
    const fields = requestFields(req);
    const { requestId } = fields;
    logger.error({ err: error, ...fields }, 'unhandled error');
    await send(problem(500, `An unexpected error occurred. Quote request id ${requestId} when reporting it.`));
  };
}
