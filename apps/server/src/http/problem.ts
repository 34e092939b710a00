import { STATUS_CODES } from 'node:http';
import { type FieldError, PROBLEM_CONTENT_TYPE, type Problem } from '@lockstep/contract';
import type { Request, Response } from 'express';
import { ServiceError } from '../services/errors.js';
import { toFieldErrors, type ValidationIssue } from '../services/validation.js';
import { HttpProblem } from './http-problem.js';

/**
 * Builds an RFC 9457 problem. `type` is `about:blank` (so `title` is the status phrase, as
 * the RFC asks) and the specifics go in `detail` and, for validation, `errors`.
 */
export function problem(status: number, detail: string, errors?: FieldError[]): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Sends a problem as `application/problem+json`, naming the request it answers in `instance`. */
export function sendProblem(req: Request, res: Response, body: Problem): void {
  res
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, instance: req.originalUrl }));
}

const SERVICE_STATUS = { 'not-found': 404, conflict: 409, invalid: 422, 'precondition-failed': 412 } as const;

/**
 * The problem a known error stands for, or undefined for an unexpected one. The one mapping
 * from service and HTTP-layer errors to statuses; REST and tRPC both answer from it.
 */
export function problemOf(error: unknown): Problem | undefined {
  if (error instanceof ServiceError) {
    const errors = 'errors' in error && Array.isArray(error.errors) ? error.errors : undefined;
    return problem(SERVICE_STATUS[error.kind], error.message, errors);
  }
  if (error instanceof HttpProblem) return problem(error.status, error.message, error.errors);
  return undefined;
}

export type InputPart = 'params' | 'query' | 'headers' | 'body';

const INVALID_INPUT_DETAIL: Record<InputPart, string> = {
  params: 'A path parameter is invalid.',
  query: 'A query parameter is invalid.',
  headers: 'A header is invalid.',
  body: 'The body does not match the schema.',
};

/**
 * Rejected input, by where it was: a bad URL part (path, query) or header is the client asking
 * for something that cannot exist, 400; a well-formed body that breaks the schema is 422.
 */
export function invalidInput(part: InputPart, error: { issues: readonly ValidationIssue[] } | null): HttpProblem {
  return new HttpProblem(
    part === 'body' ? 422 : 400,
    INVALID_INPUT_DETAIL[part],
    {},
    error ? toFieldErrors(error.issues) : [],
  );
}
