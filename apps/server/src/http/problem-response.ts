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

/**
 * Sends a problem as `application/problem+json`, naming the request it answers in `instance`.
 * `beforeSend` sees the response (status and type set) and the text about to go out.
 */
export async function sendProblem(
  req: Request,
  res: Response,
  body: Problem,
  beforeSend?: (text: string) => Promise<void>,
): Promise<void> {
  const text = JSON.stringify({ ...body, instance: req.originalUrl });
  res.status(body.status).type(PROBLEM_CONTENT_TYPE);
  await beforeSend?.(text);
  res.send(text);
}
