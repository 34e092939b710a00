import { ERROR_STATUSES, type ErrorStatus, type FieldError, IDEMPOTENCY_KEY_PATTERN } from '@lockstep/contract';
import { constraintFailure, type DataAccess, type Database } from '@lockstep/db';
import { ApiError } from '../core/api-error.js';
import { failpoint } from '../core/failpoints.js';
import type { AnyOutcome } from '../core/operation.js';

/** An answer as it is kept and replayed: status, the headers worth repeating, the body's text. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What identifies an idempotent request: whose key, which key, and what was asked. */
export interface IdempotentRequest {
  /** The caller: an API key's owner, or `anonymous:<client address>`. */
  scope: string;
  key: string;
  method: string;
  /** The resource path the request was made on (`/events/7/guests`), whichever door it came through. */
  path: string;
  /** SHA-256 of the request's body: the same key with another body is refused. */
  requestHash: string;
}

export type Lookup = { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'mismatch' };

/** How long a key and its response are kept (IETF Idempotency-Key draft; Stripe keeps 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/**
 * The key of an `Idempotency-Key` header, `"abc"` or `abc` alike: exactly what the contract's
 * pattern (and so the OpenAPI document) allows, anything else a 400.
 */
export function parseIdempotencyKey(header: string): string {
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ApiError(400, {
      detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters, bare or in double quotes.',
    });
  }
  return header.startsWith('"') ? header.slice(1, -1) : header;
}

/** The same key sent with another request (another body, method or path). */
export const keyReused = () =>
  new ApiError(422, { detail: 'This Idempotency-Key was used with a different request; use a new key.' });

export const inFlight = () =>
  new ApiError(409, {
    detail: 'A request with this Idempotency-Key is still being processed; retry later.',
    headers: { 'Retry-After': '1' },
  });

/** A successful outcome as it is kept: its JSON body and where a created resource lives. */
const storedOutcome = (outcome: AnyOutcome): StoredResponse => ({
  status: outcome.status,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    ...(outcome.location ? { location: outcome.location } : {}),
  },
  body: JSON.stringify(outcome.body),
});

const isErrorStatus = (status: number): status is ErrorStatus => (ERROR_STATUSES as readonly number[]).includes(status);

/**
 * A kept answer as an operation's outcome, for a door that answers with data rather than bytes
 * (tRPC): a success's body and location, or the refusal's problem thrown again as an `ApiError`.
 */
export function replayedOutcome(response: StoredResponse): AnyOutcome {
  const body: unknown = response.body === '' ? undefined : JSON.parse(response.body);
  if (response.status < 400) {
    return {
      status: response.status,
      body,
      ...(response.headers.location ? { location: response.headers.location } : {}),
    };
  }
  const problem = (body ?? {}) as { detail?: string; errors?: FieldError[] };
  throw new ApiError(isErrorStatus(response.status) ? response.status : 500, {
    detail: problem.detail ?? '',
    ...(problem.errors ? { errors: problem.errors } : {}),
  });
}

/**
 * Idempotency-Key records, in the database so every instance shares them, and the same records
 * for both front doors. The guarantee is exactly-once through crashes: a request's writes and the
 * record of its response commit in one transaction, so after any crash a retry either finds the
 * response (the writes committed) or runs a request that never took effect. No claim is ever
 * committed on its own, so a crash leaves nothing that blocks the retry.
 */
export class IdempotencyService {
  /** Keys being run by this process: a duplicate arriving meanwhile answers 409 at once. */
  private readonly running = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * What a previous request with this key left: nothing, a response to replay, or another request.
   * Like every method a request calls, it runs on that request's data access (`db`: traced with
   * it); the service's own database is for its sweeps.
   */
  async lookup(request: IdempotentRequest, db: DataAccess): Promise<Lookup> {
    const existing = await db.read
      .selectFrom('idempotency_keys')
      .select(['method', 'path', 'requestHash', 'status', 'headers', 'body', 'expiresAt'])
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .executeTakeFirst();
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

  /**
   * Claims a key for this process until `release`, and answers what a previous request with it
   * left: a response to replay, or nothing (the caller runs the request). Another request with
   * the key is refused (422), as is one still running here (409).
   */
  async begin(
    request: IdempotentRequest,
    db: DataAccess,
  ): Promise<{ kind: 'new' } | { kind: 'replay'; response: StoredResponse }> {
    const id = `${request.scope}\u0000${request.key}`;
    if (this.running.has(id)) throw inFlight();
    this.running.add(id);
    try {
      const found = await this.lookup(request, db);
      if (found.kind === 'mismatch') throw keyReused();
      return found;
    } catch (error) {
      this.release(request);
      throw error;
    }
  }

  release(request: IdempotentRequest): void {
    this.running.delete(`${request.scope}\u0000${request.key}`);
  }

  /**
   * Runs a request's work in one transaction with the record of its outcome. The record is
   * inserted first: another instance running the same key waits on it (PostgreSQL's unique
   * index, SQLite's write lock) and then fails, so only one of them commits. When another one
   * won, its response is answered for replay instead.
   */
  async runOnce(
    request: IdempotentRequest,
    work: (tx: DataAccess) => Promise<AnyOutcome>,
    db: DataAccess,
  ): Promise<{ kind: 'ran'; outcome: AnyOutcome } | { kind: 'replay'; response: StoredResponse }> {
    try {
      const outcome = await db.transaction(async (tx) => {
        await this.insert(tx, request, null);
        const outcome = await work(tx);
        const { status, headers, body } = storedOutcome(outcome);
        await tx.write
          .updateTable('idempotency_keys')
          .set({ state: 'done', status, headers: JSON.stringify(headers), body })
          .where('scope', '=', request.scope)
          .where('key', '=', request.key)
          .execute();
        return outcome;
      });
      failpoint('crash-after-idempotent-commit');
      return { kind: 'ran', outcome };
    } catch (error) {
      if (constraintFailure(error) !== 'unique') throw error;
    }
    const found = await this.lookup(request, db);
    if (found.kind === 'mismatch') throw keyReused();
    if (found.kind === 'new') throw inFlight();
    return found;
  }

  /**
   * Records the response of a request that wrote nothing (it was refused: a 4xx), so that a
   * retry replays it. Nothing was written, so a crash before this only means the retry runs again.
   */
  async recordRefusal(request: IdempotentRequest, response: StoredResponse, db: DataAccess): Promise<void> {
    try {
      await db.transaction((tx) => this.insert(tx, request, response));
    } catch (error) {
      if (constraintFailure(error) !== 'unique') throw error;
    }
  }

  private async insert(tx: DataAccess, request: IdempotentRequest, response: StoredResponse | null) {
    const now = this.clock();
    // An expired record no longer holds the key.
    await tx.write
      .deleteFrom('idempotency_keys')
      .where('scope', '=', request.scope)
      .where('key', '=', request.key)
      .where('expiresAt', '<=', now)
      .execute();
    await tx.write
      .insertInto('idempotency_keys')
      .values({
        ...request,
        state: response ? 'done' : 'in_flight',
        status: response?.status ?? null,
        headers: response ? JSON.stringify(response.headers) : null,
        body: response?.body ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .execute();
  }

  async deleteExpired(): Promise<number> {
    const { numDeletedRows } = await this.db.write
      .deleteFrom('idempotency_keys')
      .where('expiresAt', '<=', this.clock())
      .executeTakeFirst();
    return Number(numDeletedRows);
  }
}
