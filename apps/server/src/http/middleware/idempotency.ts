import type { DataAccess } from '@lockstep/db';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../auth/api-keys.js';
import {
  type IdempotencyService,
  parseIdempotencyKey,
  type StoredResponse,
} from '../../idempotency/idempotency-keys.js';
import type { RequestData } from '../../telemetry/query-spans.js';
import { clientAddress, contextOf, type RequestContext } from '../request-context.js';
import { bodyHashOf } from './json-body.js';

/** Response headers worth replaying; the rest (request id, dates) belong to each response. */
const REPLAYED_HEADERS = ['content-type', 'location', 'cache-control', 'vary'];

/** The headers of a response that a replay repeats. */
export function replayedHeaders(res: Response, overrides: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return { ...headers, ...overrides };
}

/**
 * POST with `Idempotency-Key` (IETF draft, Stripe's practice): the same key with the same body
 * replays the first response, errors included, with `Idempotent-Replayed: true`; with another
 * body → 422; while the first is still running → 409. Keys are scoped to the caller (an API
 * key's owner; anonymous callers by their address, so none can replay or block another's key)
 * and kept in the database for 24 h. A new key is run by the REST handler (writes and response
 * committed together); a refusal before or by it (validation, say) is recorded by the error
 * handler (`recordRefusal`).
 */
export function idempotency(service: IdempotencyService, dataOf: RequestData) {
  return async function idempotency(req: Request, res: Response, next: NextFunction): Promise<void> {
    const header = req.get('idempotency-key');
    if (req.method !== 'POST' || header === undefined) {
      next();
      return;
    }
    try {
      const context = contextOf(req);
      const request = {
        scope: idempotencyScope(context.principal, req),
        key: parseIdempotencyKey(header),
        method: req.method,
        path: req.path.toLowerCase(),
        requestHash: bodyHashOf(req),
      };
      const found = await service.begin(request, dataOf(req));
      res.on('close', () => service.release(request));
      if (found.kind === 'replay') {
        replay(res, found.response);
        return;
      }
      context.idempotency = { request, recorded: false };
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Whose keys these are: an API key's owner; an anonymous caller by address, so none can replay or block another's. */
export const idempotencyScope = (principal: Principal | undefined, req: Request): string =>
  principal?.ownerId ?? `anonymous:${clientAddress(req)}`;

export function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set(stored.headers).setHeader('Idempotent-Replayed', 'true');
  res.send(stored.body);
}

/**
 * A request refused before or by its operation wrote nothing; its answer (`res` about to send
 * `text`) is recorded before it is sent, so a retry replays it. Server errors are not: a retry
 * should run again. The error handler calls this for every problem it sends.
 */
export async function recordRefusal(
  service: IdempotencyService,
  res: Response,
  idempotent: RequestContext['idempotency'],
  text: string,
  db: DataAccess,
): Promise<void> {
  if (!idempotent || idempotent.recorded || res.statusCode < 400 || res.statusCode >= 500) return;
  idempotent.recorded = true;
  await service.recordRefusal(
    idempotent.request,
    { status: res.statusCode, headers: replayedHeaders(res), body: text },
    db,
  );
}
