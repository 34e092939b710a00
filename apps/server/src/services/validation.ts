import type { FieldError } from '@lockstep/contract';
import { InvalidInputError } from './errors.js';

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

export function toFieldErrors(issues: readonly ValidationIssue[]): FieldError[] {
  return issues.flatMap(issueToFieldErrors);
}

/** A body may repeat the resource's id, but may not change it. */
export function assertSameId(bodyId: number | undefined, pathId: number): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new InvalidInputError('The id in the body differs from the id in the URL; ids cannot be changed.', [
      { path: '/id', message: `must be ${pathId}, the id in the URL, or be left out`, code: 'read_only' },
    ]);
  }
}
