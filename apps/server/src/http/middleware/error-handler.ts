import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../core/api-error.js';
import { problem, problemOf, sendProblem } from '../problem-response.js';
import { contextOf } from '../request-context.js';
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

/**
 * The last middleware: every error becomes problem+json. Unexpected errors are logged with the
 * request id and answered with a bare 500 that names the id, never the stack or the SQL.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function errorHandler(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = problemOf(error);
    if (known) {
      if (error instanceof ApiError) res.set(error.headers);
      sendProblem(req, res, known);
      return;
    }
    if (isBodyParserError(error)) {
      sendProblem(req, res, bodyParserProblem(error));
      return;
    }
    const { requestId } = contextOf(req);
    logger.error({ err: error, requestId }, 'unhandled error');
    sendProblem(
      req,
      res,
      problem(500, `An unexpected error occurred. Quote request id ${requestId} when reporting it.`),
    );
  };
}
