import type { Express, Request } from 'express';

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether a GET can be answered 304, per RFC 9110 §13.1.2: If-None-Match lists the current
 * ETag (weak comparison) or is `*`.
 *
 * Express's own `req.fresh` also answers "not fresh" whenever the request says
 * `Cache-Control: no-cache`. That rule is for caches, not origin servers, and it defeats every
 * `fetch()` caller: the Fetch standard adds `Cache-Control: no-cache` to any request carrying
 * If-None-Match. So the origin's evaluation replaces it.
 */
function isFresh(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const status = req.res?.statusCode ?? 0;
  if ((status < 200 || status >= 300) && status !== 304) return false;
  const ifNoneMatch = req.get('if-none-match');
  const etag = req.res?.getHeader('etag');
  if (!ifNoneMatch || typeof etag !== 'string') return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Installs the origin-server freshness check that `res.send` consults before sending a body. */
export function useOriginConditionalGet(app: Express): void {
  Object.defineProperty(app.request, 'fresh', {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      return isFresh(this);
    },
  });
}
