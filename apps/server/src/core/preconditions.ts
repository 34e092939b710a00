import { ApiError } from './api-error.js';
import { entityTagOf } from './entity-tag.js';

/**
 * An `If-Match` precondition (RFC 9110 §13.1.1), parsed: the entity tags the client accepts, or
 * any current representation (`*`). Carried into the write's transaction, so it cannot go stale.
 */
export type IfMatch = { any: true } | { any: false; tags: readonly string[] };

/** Parses an If-Match header value; undefined when the request sent none. */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  return { any: false, tags: header.match(/(?:W\/)?"[^"]*"/g) ?? [] };
}

/**
 * Throws 412 unless the current representation satisfies the precondition. Comparison is
 * strong: a weak tag (`W/"…"`) never matches.
 */
export function checkIfMatch(ifMatch: IfMatch | undefined, current: unknown): void {
  if (!ifMatch || ifMatch.any) return;
  if (!ifMatch.tags.includes(entityTagOf(current))) {
    throw new ApiError(412, {
      detail: 'The resource has changed since the representation the request is based on.',
    });
  }
}
