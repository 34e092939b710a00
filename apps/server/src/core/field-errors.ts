import { toFieldErrors, type ValidationIssue } from '@lockstep/contract';
import { ApiError } from './api-error.js';

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
export function invalidInput(part: InputPart, issues: readonly ValidationIssue[]): ApiError {
  return new ApiError(part === 'body' ? 422 : 400, {
    detail: INVALID_INPUT_DETAIL[part],
    errors: toFieldErrors(issues),
  });
}

/**
 * The writable members of a PUT or PATCH body. A body may repeat the resource's id (clients send
 * back what they read) but may not change it: that is a 422 naming `/id`.
 */
export function withoutId<Rest extends object>(body: Rest & { id?: number | null | undefined }, pathId: number): Rest {
  const { id, ...writable } = body;
  if (id !== undefined && id !== null && id !== pathId) {
    throw new ApiError(422, {
      detail: 'The id in the body differs from the id in the URL; ids cannot be changed.',
      errors: [{ path: '/id', message: `must be ${pathId}, the id in the URL, or be left out`, code: 'read_only' }],
    });
  }
  // What is left once `id` is taken out of `Rest & { id? }` is `Rest`.
  return writable as Rest;
}
