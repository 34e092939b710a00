import type { Access } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import { ApiError } from '../core/api-error.js';
import type { AuthService, Principal, Scope } from './api-keys.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The scope a call needs: owner-only routes need `read` to read and `write` to write; public
 * routes need nothing, except writes in production, which need `write`.
 */
export function requiredScope(access: Access, method: string, production: boolean): Scope | null {
  const reading = READ_METHODS.has(method.toUpperCase());
  if (access === 'owner') return reading ? 'read' : 'write';
  return !reading && production ? 'write' : null;
}

/** RFC 6750 §3: the challenge of a 401 or 403, with the error and scope where they apply. */
const challenge = (params = '') => ({ 'WWW-Authenticate': `Bearer realm="lockstep"${params}` });

/**
 * What a request's `Authorization` header proved, found out once per request (before rate
 * limiting, which counts per key): no header, a key that is not valid, or a valid key's caller.
 */
export type Credentials = { kind: 'none' } | { kind: 'invalid' } | { kind: 'valid'; principal: Principal };

const NO_CREDENTIALS: Credentials = { kind: 'none' };

/** Reads `Authorization: Bearer <key>` and looks the key up on `db`, the request's data access. */
export async function credentialsOf(
  auth: AuthService,
  authorization: string | undefined,
  db: DataAccess,
): Promise<Credentials> {
  if (authorization === undefined) return NO_CREDENTIALS;
  const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
  const principal = token ? await auth.authenticate(token, db) : null;
  return principal ? { kind: 'valid', principal } : { kind: 'invalid' };
}

export interface AccessRequest {
  access: Access;
  method: string;
  /** What the request's `Authorization` header proved; none when nothing found out. */
  credentials: Credentials | undefined;
}

/**
 * Who is calling, and whether they may: both front doors ask this, so they cannot grant
 * different things.
 * - a presented key must be valid (401 otherwise, even where none is needed: a wrong key is a
 *   bug the caller wants to hear about);
 * - a route that needs a scope answers 401 without a key and 403 with a key lacking the scope.
 * Answers the caller (undefined for an anonymous call where none is needed).
 */
export function accessChecker(options: { production: boolean }) {
  return function checkAccess(request: AccessRequest): Principal | undefined {
    return authorize(request.credentials, requiredScope(request.access, request.method, options.production));
  };
}

/**
 * The caller behind `credentials` if they hold `needed` (any caller, or none, when nothing is
 * needed); a 401 or 403 otherwise. The one rule every door applies, the operators' too.
 */
export function authorize(credentials: Credentials | undefined, needed: Scope | null): Principal | undefined {
  const presented = credentials ?? NO_CREDENTIALS;
  if (presented.kind === 'none') {
    if (needed) {
      throw new ApiError(401, {
        detail: 'This route needs an API key: Authorization: Bearer <key>.',
        headers: challenge(),
      });
    }
    return undefined;
  }
  if (presented.kind === 'invalid') {
    throw new ApiError(401, {
      detail: 'The API key is malformed, unknown or revoked.',
      headers: challenge(', error="invalid_token", error_description="the key is not valid"'),
    });
  }
  const { principal } = presented;
  if (needed && !principal.scopes.has(needed)) {
    throw new ApiError(403, {
      detail: `This request needs the "${needed}" scope; the key has ${[...principal.scopes].join(', ') || 'none'}.`,
      headers: challenge(`, error="insufficient_scope", scope="${needed}"`),
    });
  }
  return principal;
}

export type CheckAccess = ReturnType<typeof accessChecker>;
