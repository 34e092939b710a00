import { applyMergePatch, toFieldErrors } from '@lockstep/contract';
import type { z } from 'zod';
import { invalid } from './api-error.js';

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
