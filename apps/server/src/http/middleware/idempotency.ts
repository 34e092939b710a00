import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../core/api-error.js';
import type { IdempotencyService, StoredResponse } from '../../idempotency/idempotency-keys.js';
import { clientAddress, contextOf } from '../request-context.js';
import { bodyHashOf } from './json-body.js';

/** Response headers worth replaying; the rest (request id, dates) belong to each response. */
const REPLAYED_HEADERS = ['content-type', 'location', 'cache-control', 'vary'];

/** `Idempotency-Key: "abc"` or `Idempotency-Key: abc` (the draft uses an sf-string). */
function parseKey(header: string): string | null {
  const key = /^"(.*)"$/.exec(header.trim())?.[1] ?? header.trim();
  return key.length > 0 && key.length <= 255 && /^[\x21-\x7e]+$/.test(key) ? key : null;
}

/** The headers of a response that a replay repeats. */
export function replayedHeaders(res: Response, overrides: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return { ...headers, ...overrides };
}

/** The same key sent with another request (another body, method or path). */
export const keyReused = () =>
  new ApiError(422, { detail: 'This Idempotency-Key was used with a different request; use a new key.' });

export const inFlight = () =>
  new ApiError(409, {
    detail: 'A request with this Idempotency-Key is still being processed; retry later.',
    headers: { 'Retry-After': '1' },
  });

/**
 * POST with `Idempotency-Key` (IETF draft, Stripe's practice): the same key with the same body
 * replays the first response, errors included, with `Idempotent-Replayed: true`; with another
 * body → 422; while the first is still running → 409. Keys are scoped to the caller (an API
 * key's owner; anonymous callers by their address, so none can replay or block another's key)
 * and kept in the database for 24 h. A new key is run by the REST handler (writes and response
 * committed together); a refusal before it (validation, say) is recorded here.
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
      const context = contextOf(req);
      const request = {
        scope: context.principal?.ownerId ?? `anonymous:${clientAddress(req)}`,
        key,
        method: req.method,
        path: req.path.toLowerCase(),
        requestHash: bodyHashOf(req),
      };
      if (!service.claim(request)) throw inFlight();
      res.on('close', () => service.release(request));
      const found = await service.lookup(request);
      if (found.kind === 'mismatch') throw keyReused();
      if (found.kind === 'replay') {
        replay(res, found.response);
        return;
      }
      context.idempotency = { request, recorded: false };
      recordRefusals(service, logger, res, context.idempotency);
      next();
    } catch (error) {
      next(error);
    }
  };
}

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).setHeader('Idempotent-Replayed', 'true');
  res.send(stored.body);
}

/**
 * A request refused before or by its operation wrote nothing; its answer is recorded before it
 * is sent, so a retry replays it. Server errors are not: a retry should run again.
 */
function recordRefusals(
  service: IdempotencyService,
  logger: Logger,
  res: Response,
  idempotent: NonNullable<ReturnType<typeof contextOf>['idempotency']>,
) {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (idempotent.recorded || res.statusCode < 400 || res.statusCode >= 500) return send(body);
    idempotent.recorded = true;
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
    const response = { status: res.statusCode, headers: replayedHeaders(res), body: text ?? '' };
    service.recordRefusal(idempotent.request, response).then(
      () => send(body),
      (error: unknown) => {
        logger.error({ err: error }, 'could not record an idempotent refusal');
        send(body);
      },
    );
    return res;
  };
}
