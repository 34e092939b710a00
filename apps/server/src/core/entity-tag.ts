import etag from 'etag';

/**
 * The strong entity tag (RFC 9110 §8.8.3) of a JSON representation: a hash of its exact text.
 * The one ETag function: responses are tagged with it (it is Express's `etag` setting) and
 * `If-Match` is compared with it, so the tag a client read is the tag its write is checked by.
 */
export const entityTag = (text: string | Buffer): string => etag(text, { weak: false });

/** The entity tag of a resource as the server serialises it (`res.json` uses JSON.stringify). */
export const entityTagOf = (resource: unknown): string => entityTag(JSON.stringify(resource));
