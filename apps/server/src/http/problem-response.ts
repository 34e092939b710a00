import { STATUS_CODES } from 'node:http';
import { type FieldError, PROBLEM_CONTENT_TYPE, type Problem } from '@lockstep/contract';
import type { Request, Response } from 'express';
import { ApiError } from '../core/api-error.js';

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

/** The problem an ApiError stands for; undefined for anything else (unexpected: a 500). */
export const problemOf = (error: unknown): Problem | undefined =>
  error instanceof ApiError ? problem(error.status, error.message, error.errors) : undefined;

/** Sends a problem as `application/problem+json`, naming the request it answers in `instance`. */
export function sendProblem(req: Request, res: Response, body: Problem): void {
  res
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, instance: req.originalUrl }));
}
