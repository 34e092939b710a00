import type { Database } from '@lockstep/db';
import { failedConstraint } from '../core/constraints.js';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export type BeginResult =
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-flight' }
  | { kind: 'mismatch' };

/** Idempotency keys and their stored responses, in the database so every instance shares them. */
class IdempotencyStore {
  constructor(private readonly db: Database) {}

  /**
   * Claims the key for this request, or reports what happened to it before. Expired rows, and
   * in-flight rows older than `staleBefore` (their process died), no longer hold the key.
   */
  async begin(request: IdempotentRequest, now: Date, ttlMs: number, staleBefore: Date): Promise<BeginResult> {
    const id = { scope_key: { scope: request.scope, key: request.key } };
    try {
      return await this.db.$transaction(async (tx) => {
        const existing = await tx.idempotencyKey.findUnique({ where: id });
        const dead =
          existing &&
          (existing.expiresAt <= now || (existing.state === 'in_flight' && existing.createdAt < staleBefore));
        if (existing && !dead) {
          const sameRequest =
            existing.requestHash === request.requestHash &&
            existing.method === request.method &&
            existing.path === request.path;
          if (!sameRequest) return { kind: 'mismatch' } as const;
          if (existing.state !== 'done' || existing.status === null) return { kind: 'in-flight' } as const;
          return {
            kind: 'replay',
            response: {
              status: existing.status,
              headers: JSON.parse(existing.headers ?? '{}') as Record<string, string>,
              body: existing.body ?? '',
            },
          } as const;
        }
        if (existing) await tx.idempotencyKey.delete({ where: id });
        await tx.idempotencyKey.create({
          data: { ...request, state: 'in_flight', createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) },
        });
        return { kind: 'started' } as const;
      });
    } catch (error) {
      // Another instance claimed the key between our read and our insert.
      if (failedConstraint(error) === 'unique') return { kind: 'in-flight' };
      throw error;
    }
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.idempotencyKey.updateMany({
      where: { scope, key, state: 'in_flight' },
      data: { state: 'done', status: response.status, headers: JSON.stringify(response.headers), body: response.body },
    });
  }

  /** Releases a key whose request ended without a response, so a retry can run. */
  async abandon(scope: string, key: string): Promise<void> {
    await this.db.idempotencyKey.deleteMany({ where: { scope, key, state: 'in_flight' } });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }
}

/** How long a key and its response are kept (IETF Idempotency-Key draft; Stripe keeps 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-flight claim older than this belongs to a request whose process died (requests time out
 * after 30 s), so it no longer blocks retries.
 */
export const IN_FLIGHT_STALE_MS = 60 * 1000;

/** Idempotency-Key bookkeeping, kept in the database so that every instance shares it. */
export class IdempotencyService {
  private readonly store: IdempotencyStore;

  constructor(
    db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.store = new IdempotencyStore(db);
  }

  begin(request: IdempotentRequest): Promise<BeginResult> {
    const now = this.clock();
    return this.store.begin(request, now, IDEMPOTENCY_TTL_MS, new Date(now.getTime() - IN_FLIGHT_STALE_MS));
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.store.complete(scope, key, response);
  }

  abandon(scope: string, key: string): Promise<void> {
    return this.store.abandon(scope, key);
  }

  deleteExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock());
  }
}
