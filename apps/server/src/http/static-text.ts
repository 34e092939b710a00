import type { RequestHandler } from 'express';
import { entityTag } from '../core/entity-tag.js';

/**
 * A fixed text answered from memory. It is made on the first request, not at start-up (which
 * every test server and every process would pay for a page few open), and its strong ETag is
 * computed once instead of hashing the whole text again on every response. `If-None-Match`
 * answers 304 through Express's freshness check, as for every other GET.
 */
export function staticText(type: string, make: () => string): RequestHandler {
  let cached: { text: string; etag: string } | undefined;
  return function staticText(_req, res) {
    if (!cached) {
      const text = make();
      cached = { text, etag: entityTag(text) };
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', cached.etag);
    res.type(type).send(cached.text);
  };
}
