import { z } from 'zod';

/** One offending field of a rejected request. `path` is a JSON Pointer (RFC 6901) into the input. */
export const FieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
});

/** RFC 9457 problem details: the body of every error response, sent as `application/problem+json`. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
});

export type FieldError = z.infer<typeof FieldErrorSchema>;
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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
