const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a PATCH of this contract means: a JSON Merge Patch (RFC 7396, section 2) applied to the
 * resource. Members of `patch` replace those of `target`, `null` removes a member, objects merge
 * recursively, anything else replaces whole. The server applies it; `lockstep verify` predicts
 * a PATCH's answer with it.
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
