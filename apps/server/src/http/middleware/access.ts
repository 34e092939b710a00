import type { RouteMetadata } from '@lockstep/contract';
import type { AppRoute } from '@ts-rest/core';
import type { NextFunction, Request, Response } from 'express';
import type { AuthService, Scope } from '../../services/auth.js';
import { HttpProblem } from '../http-problem.js';
import { setPrincipal } from '../principal.js';

export type RoutedRequest = Request & { tsRestRoute: AppRoute };

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Which scope a request needs, from the route's access in the contract and the mode. */
function requiredScope(access: RouteMetadata['access'], method: string, production: boolean): Scope | null {
  const reading = READ_METHODS.has(method);
  if (access === 'owner') return reading ? 'read' : 'write';
  return !reading && production ? 'write' : null;
}

const challenge = (params = '') => ({ 'WWW-Authenticate': `Bearer realm="lockstep"${params}` });

/**
 * Authentication, authorisation and cache headers for one call of a contract route, driven by
 * the route's `metadata.access` in the contract:
 * - a presented key must be valid (401 otherwise, even where none is needed: a wrong key is a bug
 *   the caller wants to hear about);
 * - a route that needs a scope answers 401 without a key and 403 with a key lacking the scope;
 * - owned responses are `private, no-cache` and vary by Authorization; public ones `no-cache`.
 * Throws an HttpProblem to refuse; on success the caller is the request's principal. Used by
 * both front doors, REST and tRPC, so they cannot grant different things.
 */
export function routeAuthorizer(auth: AuthService, options: { production: boolean }) {
  return async (req: Request, res: Response, route: AppRoute): Promise<void> => {
    const access = (route.metadata as RouteMetadata | undefined)?.access ?? 'public';
    if (access === 'owner') {
      res.setHeader('Cache-Control', 'private, no-cache');
      res.vary('Authorization');
    } else {
      res.setHeader('Cache-Control', 'no-cache');
    }
    const needed = requiredScope(access, req.method, options.production);
    const header = req.get('authorization');
    if (header === undefined) {
      if (needed) throw new HttpProblem(401, 'This route needs an API key: Authorization: Bearer <key>.', challenge());
      setPrincipal(res, undefined);
      return;
    }
    const token = /^Bearer +(\S+)$/i.exec(header)?.[1];
    const principal = token ? await auth.authenticate(token) : null;
    if (!principal) {
      throw new HttpProblem(
        401,
        'The API key is malformed, unknown or revoked.',
        challenge(', error="invalid_token", error_description="the key is not valid"'),
      );
    }
    if (needed && !principal.scopes.has(needed)) {
      throw new HttpProblem(
        403,
        `This request needs the "${needed}" scope; the key has ${[...principal.scopes].join(', ') || 'none'}.`,
        challenge(`, error="insufficient_scope", scope="${needed}"`),
      );
    }
    setPrincipal(res, principal);
  };
}

/** The REST form: Express middleware for ts-rest, which puts the matched route on the request. */
export function accessControl(auth: AuthService, options: { production: boolean }) {
  const authorize = routeAuthorizer(auth, options);
  return (req: RoutedRequest, res: Response, next: NextFunction): void => {
    authorize(req, res, req.tsRestRoute).then(() => next(), next);
  };
}
