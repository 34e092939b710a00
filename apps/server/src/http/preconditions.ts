import etag from 'etag';
import type { Precondition } from '../services/preconditions.js';

/**
 * The strong ETag of a resource: the same hash Express puts on the GET response (its `etag`
 * setting is "strong"), of the same JSON text. So the ETag a client read is the one it sends back.
 */
export const etagOf = (resource: unknown): string => etag(JSON.stringify(resource), { weak: false });

/** Entity tags listed in an If-Match header; `*` matches any current representation. */
function parseIfMatch(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return header.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/**
 * The If-Match precondition of a request, or undefined when it sent none. Comparison is strong
 * (RFC 9110 §13.1.1): a weak tag never matches.
 */
export function ifMatchOf<T>(req: { get(name: string): string | undefined }): Precondition<T> | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const tags = parseIfMatch(header);
  if (tags === '*') return () => true;
  return (current) => tags.includes(etagOf(current));
}
