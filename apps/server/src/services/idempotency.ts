import type {
  BeginResult,
  IdempotencyRepository,
  IdempotentRequest,
  StoredResponse,
} from '../repositories/idempotency.js';

/** How long a key and its response are kept (IETF Idempotency-Key draft; Stripe keeps 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-flight claim older than this belongs to a request whose process died (requests time out
 * after 30 s), so it no longer blocks retries.
 */
export const IN_FLIGHT_STALE_MS = 60 * 1000;

export class IdempotencyService {
  constructor(
    private readonly store: IdempotencyRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

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
