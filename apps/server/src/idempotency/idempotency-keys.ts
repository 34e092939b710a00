import { constraintFailure, type Database, type DatabaseTransaction } from '@lockstep/db';
import { inTransaction } from '../core/ambient-transaction.js';
import { failpoint } from '../core/failpoints.js';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What identifies an idempotent request: whose key, which key, and what was asked. */
export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export type Lookup = { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'mismatch' };

/** How long a key and its response are kept (IETF Idempotency-Key draft; Stripe keeps 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const idOf = (request: Pick<IdempotentRequest, 'scope' | 'key'>) => ({
  scope_key: { scope: request.scope, key: request.key },
});

/**
 * Idempotency-Key records, in the database so every instance shares them. The guarantee is
 * exactly-once through crashes: a request's writes and the record of its response commit in one
 * transaction, so after any crash a retry either finds the response (the writes committed) or
 * runs a request that never took effect. No claim is ever committed on its own, so a crash
 * leaves nothing that blocks the retry.
 */
export class IdempotencyService {
  /** Keys being run by this process: a duplicate arriving meanwhile answers 409 at once. */
  private readonly running = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** What a previous request with this key left: nothing, a response to replay, or another request. */
  async lookup(request: IdempotentRequest): Promise<Lookup> {
    const existing = await this.db.idempotencyKey.findUnique({ where: idOf(request) });
    if (!existing || existing.expiresAt <= this.clock() || existing.status === null) return { kind: 'new' };
    const sameRequest =
      existing.requestHash === request.requestHash &&
      existing.method === request.method &&
      existing.path === request.path;
    if (!sameRequest) return { kind: 'mismatch' };
    return {
      kind: 'replay',
      response: {
        status: existing.status,
        headers: JSON.parse(existing.headers ?? '{}') as Record<string, string>,
        body: existing.body ?? '',
      },
    };
  }

  /** Marks a key as running in this process; false when it already is. */
  claim(request: IdempotentRequest): boolean {
    const id = `${request.scope}\u0000${request.key}`;
    if (this.running.has(id)) return false;
    this.running.add(id);
    return true;
  }

  release(request: IdempotentRequest): void {
    this.running.delete(`${request.scope}\u0000${request.key}`);
  }

  /**
   * Runs a request's work and records its response in the same transaction. The record is
   * inserted first: another instance running the same key waits on it (PostgreSQL's unique
   * index, SQLite's write lock) and then fails, so only one of them commits. A unique violation
   * means the other one won: the caller looks up its response and replays it.
   */
  async runOnce<Result>(
    request: IdempotentRequest,
    work: () => Promise<Result>,
    responseOf: (result: Result) => StoredResponse,
  ): Promise<{ kind: 'ran'; result: Result } | { kind: 'lost' }> {
    try {
      const result = await inTransaction(this.db, async (tx) => {
        await this.insert(tx, request, null);
        const result = await work();
        const response = responseOf(result);
        await tx.idempotencyKey.update({
          where: idOf(request),
          data: {
            state: 'done',
            status: response.status,
            headers: JSON.stringify(response.headers),
            body: response.body,
          },
        });
        return result;
      });
      failpoint('crash-after-idempotent-commit');
      return { kind: 'ran', result };
    } catch (error) {
      if (constraintFailure(error) === 'unique') return { kind: 'lost' };
      throw error;
    }
  }

  /**
   * Records the response of a request that wrote nothing (it was refused: a 4xx), so that a
   * retry replays it. Nothing was written, so a crash before this only means the retry runs again.
   */
  async recordRefusal(request: IdempotentRequest, response: StoredResponse): Promise<void> {
    try {
      await inTransaction(this.db, (tx) => this.insert(tx, request, response));
    } catch (error) {
      if (constraintFailure(error) !== 'unique') throw error;
    }
  }

  private async insert(tx: DatabaseTransaction, request: IdempotentRequest, response: StoredResponse | null) {
    const now = this.clock();
    // An expired record no longer holds the key.
    await tx.idempotencyKey.deleteMany({ where: { scope: request.scope, key: request.key, expiresAt: { lte: now } } });
    await tx.idempotencyKey.create({
      data: {
        ...request,
        state: response ? 'done' : 'in_flight',
        status: response?.status ?? null,
        headers: response ? JSON.stringify(response.headers) : null,
        body: response?.body ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      },
    });
  }

  async deleteExpired(): Promise<number> {
    return (await this.db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: this.clock() } } })).count;
  }
}
