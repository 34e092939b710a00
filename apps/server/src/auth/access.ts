import type { Access } from '@lockstep/contract';
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

export interface AccessRequest {
  access: Access;
  method: string;
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined;
}

/**
 * Who is calling, and whether they may: both front doors ask this, so they cannot grant
 * different things.
 * - a presented key must be valid (401 otherwise, even where none is needed: a wrong key is a
 *   bug the caller wants to hear about);
 * - a route that needs a scope answers 401 without a key and 403 with a key lacking the scope.
 * Answers the caller (undefined for an anonymous call where none is needed).
 */
export function accessChecker(auth: AuthService, options: { production: boolean }) {
  return async function checkAccess(request: AccessRequest): Promise<Principal | undefined> {
    const needed = requiredScope(request.access, request.method, options.production);
    if (request.authorization === undefined) {
      if (needed) {
        throw new ApiError(401, {
          detail: 'This route needs an API key: Authorization: Bearer <key>.',
          headers: challenge(),
        });
      }
      return undefined;
    }
    const token = /^Bearer +(\S+)$/i.exec(request.authorization)?.[1];
    const principal = token ? await auth.authenticate(token) : null;
    if (!principal) {
      throw new ApiError(401, {
        detail: 'The API key is malformed, unknown or revoked.',
        headers: challenge(', error="invalid_token", error_description="the key is not valid"'),
      });
    }
    if (needed && !principal.scopes.has(needed)) {
      throw new ApiError(403, {
        detail: `This request needs the "${needed}" scope; the key has ${[...principal.scopes].join(', ') || 'none'}.`,
        headers: challenge(`, error="insufficient_scope", scope="${needed}"`),
      });
    }
    return principal;
  };
}

export type CheckAccess = ReturnType<typeof accessChecker>;
