import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../core/api-error.js';
import type { IdempotencyService, StoredResponse } from '../../idempotency/idempotency-keys.js';
import { contextOf } from '../request-context.js';
import { bodyHashOf } from './json-body.js';

/** Response headers worth replaying; the rest (request id, dates) belong to each response. */
const REPLAYED_HEADERS = ['content-type', 'location', 'cache-control', 'vary'];

/** `Idempotency-Key: "abc"` or `Idempotency-Key: abc` (the draft uses an sf-string). */
function parseKey(header: string): string | null {
  const key = /^"(.*)"$/.exec(header.trim())?.[1] ?? header.trim();
  return key.length > 0 && key.length <= 255 && /^[\x21-\x7e]+$/.test(key) ? key : null;
}

/**
 * POST with `Idempotency-Key` (IETF draft, Stripe's practice): the first request runs and its
 * response, errors included, is stored before it is sent; the same key with the same body
 * replays it with `Idempotent-Replayed: true`; with another body → 422; while the first is
 * still running → 409. Keys are scoped to the caller and kept in the database for 24 h.
 */
export function idempotency(service: IdempotencyService, logger: Logger) {
  return async function idempotency(req: Request, res: Response, next: NextFunction): Promise<void> {
    const header = req.get('idempotency-key');
    if (req.method !== 'POST' || header === undefined) {
      next();
      return;
    }
    try {
      const key = parseKey(header);
      if (!key) throw new ApiError(400, { detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.' });
      // Keys are per caller: the key owner's namespace, or one shared by anonymous callers.
      const scope = contextOf(req).principal?.ownerId ?? 'anonymous';
      const outcome = await service.begin({
        scope,
        key,
        method: req.method,
        path: req.path.toLowerCase(),
        requestHash: bodyHashOf(req),
      });
      switch (outcome.kind) {
        case 'mismatch':
          throw new ApiError(422, { detail: 'This Idempotency-Key was used with a different request; use a new key.' });
        case 'in-flight':
          throw new ApiError(409, {
            detail: 'A request with this Idempotency-Key is still being processed; retry later.',
            headers: { 'Retry-After': '1' },
          });
        case 'replay':
          replay(res, outcome.response);
          return;
        case 'started':
          recordResponse(service, logger, res, scope, key);
          next();
      }
    } catch (error) {
      next(error);
    }
  };
}

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).setHeader('Idempotent-Replayed', 'true');
  res.send(stored.body);
}

/** Stores the first response before sending it, so an acknowledged POST is never run twice. */
function recordResponse(service: IdempotencyService, logger: Logger, res: Response, scope: string, key: string) {
  const send = res.send.bind(res);
  let stored = false;
  res.send = (body?: unknown) => {
    if (stored) return send(body);
    stored = true;
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    service.complete(scope, key, { status: res.statusCode, headers, body: text ?? '' }).then(
      () => send(body),
      (error: unknown) => {
        logger.error({ err: error }, 'could not store an idempotent response; releasing the key');
        service.abandon(scope, key).finally(() => send(body));
      },
    );
    return res;
  };
  res.on('close', () => {
    if (!stored) service.abandon(scope, key).catch((error: unknown) => logger.error({ err: error }, 'abandon failed'));
  });
}
