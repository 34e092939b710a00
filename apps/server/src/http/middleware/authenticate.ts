import type { NextFunction, Request, Response } from 'express';
import { credentialsOf } from '../../auth/access.js';
import type { AuthService } from '../../auth/api-keys.js';
import { ApiError } from '../../core/api-error.js';
import { type QuotaState, type RateLimits, rateLimitHeaders } from '../../rate-limits/rate-limits.js';
import type { RequestData } from '../../telemetry/query-spans.js';
import { clientAddress, contextOf } from '../request-context.js';

const refusals: Record<QuotaState['quota'], string> = {
  anonymous: 'Too many requests from this address without an API key; wait, or send one.',
  key: 'Too many requests with this API key; wait before sending more.',
  'auth-failures': 'Too many failed authentications from this address; wait before trying a key again.',
};

const tooManyRequests = (state: QuotaState) =>
  new ApiError(429, { detail: refusals[state.quota], headers: rateLimitHeaders(state) });

/**
 * Before every API route: who is calling, and whether they are within their quota.
 *
 * - An address that has failed to authenticate too often is refused before its key is even
 *   looked at (429), so keys cannot be guessed at the speed the server answers; each failure
 *   counts against that low quota (`RATE_LIMIT_AUTH_FAILURES`).
 * - A valid key is charged to its own quota (`RATE_LIMIT_KEY`), anyone else to their address's
 *   (`RATE_LIMIT_ANONYMOUS`). The answer carries the quota's `RateLimit-Policy` and `RateLimit`
 *   fields; beyond the quota it is a 429 with `Retry-After`.
 *
 * What the key proved is kept in the request's context for the front doors' access check, so
 * a key is looked up once per request.
 */
export function authenticate(auth: AuthService, limits: RateLimits, dataOf: RequestData) {
  return async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const address = clientAddress(req);
      const authorization = req.get('authorization');
      if (authorization !== undefined) {
        const failures = await limits.peek('auth-failures', address);
        if (failures?.exceeded) throw tooManyRequests(failures);
      }
      const credentials = await credentialsOf(auth, authorization, dataOf(req));
      contextOf(req).credentials = credentials;
      const state =
        credentials.kind === 'valid'
          ? await limits.charge('key', credentials.principal.keyId)
          : await limits.charge(credentials.kind === 'invalid' ? 'auth-failures' : 'anonymous', address);
      if (state) {
        if (state.exceeded) throw tooManyRequests(state);
        res.set(rateLimitHeaders(state));
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
