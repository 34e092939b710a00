import { createHash } from 'node:crypto';
import { type ContractRoute, PROBLEM_CONTENT_TYPE } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Principal } from '../auth/api-keys.js';
import type { AnyOutcome } from '../core/operation.js';
import {
  type IdempotencyService,
  type IdempotentRequest,
  parseIdempotencyKey,
  replayedOutcome,
  type StoredResponse,
} from '../idempotency/idempotency-keys.js';
import { idempotencyScope } from './middleware/idempotency.js';
import { problemOf } from './problem-response.js';

/** A procedure's context: the Express request and response it answers (headers, the request's context). */
export type TrpcContext = Pick<CreateExpressContextOptions, 'req' | 'res'>;

/** The resource path a route's input names (`/events/:eventId/guests` → `/events/7/guests`), as REST's URL would. */
const resourcePath = (route: ContractRoute, params: unknown): string =>
  route.path.replace(/:(\w+)/g, (_, name: string) => String((params as Record<string, unknown> | undefined)?.[name]));

/** The identity of an idempotent mutation: REST's, with a hash of the input's body for the raw body's. */
export function idempotentRequest(
  route: ContractRoute,
  input: unknown,
  caller: Principal | undefined,
  header: string,
  ctx: TrpcContext,
): IdempotentRequest {
  const { params, body } = (input ?? {}) as { params?: unknown; body?: unknown };
  return {
    scope: idempotencyScope(caller, ctx.req),
    key: parseIdempotencyKey(header),
    method: route.method,
    path: resourcePath(route, params).toLowerCase(),
    requestHash: createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex'),
  };
}

/**
 * A mutation sent with `Idempotency-Key`, as REST's POST with one: the same records (the caller's
 * keys, the resource path, a hash of the body), so the same key with the same input replays the
 * first answer, refusals included, with `Idempotent-Replayed: true`; with another input 422; while
 * the first runs 409. `run` validates the input and runs the operation on the transaction it is
 * given; the records are read and written on `db`, the call's data access.
 */
export async function runIdempotently(
  service: IdempotencyService,
  request: IdempotentRequest,
  ctx: TrpcContext,
  run: (db: DataAccess) => Promise<AnyOutcome>,
  db: DataAccess,
): Promise<AnyOutcome> {
  const replay = (response: StoredResponse) => {
    ctx.res.setHeader('Idempotent-Replayed', 'true');
    return replayedOutcome(response);
  };
  const found = await service.begin(request, db);
  try {
    if (found.kind === 'replay') return replay(found.response);
    const ran = await service.runOnce(request, run, db).catch(async (error: unknown) => {
      // A refusal wrote nothing: recorded, so that a retry replays it rather than running again.
      const refused = problemOf(error);
      if (refused && refused.status < 500) {
        const body = JSON.stringify({ ...refused, instance: request.path });
        await service.recordRefusal(
          request,
          { status: refused.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body },
          db,
        );
      }
      throw error;
    });
    return ran.kind === 'replay' ? replay(ran.response) : ran.outcome;
  } finally {
    service.release(request);
  }
}
