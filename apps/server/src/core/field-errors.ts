import type { FieldError } from '@lockstep/contract';
import { ApiError } from './api-error.js';

/**
 * One problem found by a schema, as Standard Schema reports it (zod and ts-rest alike). zod adds
 * a `code`, and for unknown members the `keys` it found.
 */
export interface ValidationIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: string;
  readonly keys?: readonly string[];
}

type PathSegment = NonNullable<ValidationIssue['path']>[number];
const segmentKey = (segment: PathSegment): PropertyKey => (typeof segment === 'object' ? segment.key : segment);

/** RFC 6901 JSON Pointer for a path into the request input. */
export function jsonPointer(path: ReadonlyArray<PathSegment>): string {
  return path.map((segment) => `/${String(segmentKey(segment)).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function issueToFieldErrors(issue: ValidationIssue): FieldError[] {
  const path = issue.path ?? [];
  // zod reports all unknown members in one issue; clients need each one named.
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return issue.keys.map((key) => ({
      path: jsonPointer([...path, key]),
      message: 'is not a known or writable field',
      code: 'unrecognized_key',
    }));
  }
  return [{ path: jsonPointer(path), message: issue.message, code: issue.code ?? 'invalid' }];
}

/** The `errors` member of a validation problem: one entry per offending field. */
export function toFieldErrors(issues: readonly ValidationIssue[]): FieldError[] {
  return issues.flatMap(issueToFieldErrors);
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
