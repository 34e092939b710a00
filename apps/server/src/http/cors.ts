import cors from 'cors';
import type { RequestHandler } from 'express';

/** What a browser script on an allowed origin may send beyond the CORS-safelisted headers. */
const REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Request-Id',
  'X-Contract-Version',
  'traceparent',
  'tracestate',
];

/** What it may read of an answer: the headers this API's behaviour is built on. */
const EXPOSED_HEADERS = [
  'ETag',
  'Link',
  'Location',
  'X-Request-Id',
  'X-Contract-Version',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'Deprecation',
  'Sunset',
];

/**
 * Cross-origin access for the configured origins only (`CORS_ORIGINS`); none when the list is
 * empty, so a browser refuses every other origin's script. Preflights are answered here, before
 * any route, and every answer says `Vary: Origin`, so a cache keeps one copy per origin.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: REQUEST_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // Browsers cap this (Chromium at 2 h); ten minutes keeps a changed policy from lingering.
    maxAge: 600,
  });
}
