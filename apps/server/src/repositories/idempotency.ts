import type { Database } from '@lockstep/db';
import { isUniqueViolation } from './errors.js';

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
export class IdempotencyRepository {
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
      if (isUniqueViolation(error)) return { kind: 'in-flight' };
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
