import type { z } from 'zod';
import { invalid } from './api-error.js';
import { toFieldErrors } from './field-errors.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies a JSON Merge Patch (RFC 7396, section 2): members of `patch` replace those of
 * `target`, `null` removes a member, objects merge recursively, anything else replaces whole.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * The one PATCH of every resource: the merge patch applied to the writable members of the
 * current representation, and the result validated against the resource's write schema, which
 * is the same check a PUT body passes. So a patch cannot leave a required member removed, an
 * event ending before it starts, or a member the schema does not know.
 */
export function patchResource<Data>(schema: z.ZodType<Data>, writable: Data, patch: object): Data {
  const merged = schema.safeParse(applyMergePatch(writable, patch));
  if (!merged.success) throw invalid('The patched resource would be invalid.', toFieldErrors(merged.error.issues));
  return merged.data;
}
