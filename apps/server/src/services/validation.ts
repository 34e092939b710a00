import type { FieldError } from '@lockstep/contract';
import type { ZodError, ZodIssue } from 'zod';
import { InvalidInputError } from './errors.js';

/** RFC 6901 JSON Pointer for a path into the request input. */
export function jsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function issueToFieldErrors(issue: ZodIssue): FieldError[] {
  // zod reports all unknown members in one issue; clients need each one named.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: jsonPointer([...issue.path, key]),
      message: 'is not a known or writable field',
      code: 'unrecognized_key',
    }));
  }
  return [{ path: jsonPointer(issue.path), message: issue.message, code: issue.code }];
}

export function toFieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap(issueToFieldErrors);
}

/** A body may repeat the resource's id, but may not change it. */
export function assertSameId(bodyId: number | undefined, pathId: number): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new InvalidInputError('The id in the body differs from the id in the URL; ids cannot be changed.', [
      { path: '/id', message: `must be ${pathId}, the id in the URL, or be left out`, code: 'read_only' },
    ]);
  }
}
