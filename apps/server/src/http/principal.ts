import type { Response } from 'express';
import type { Principal } from '../services/auth.js';

/** Where the access middleware leaves the authenticated caller for the handlers. */
export function setPrincipal(res: Response, principal: Principal | undefined): void {
  res.locals.principal = principal;
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The owner of an owned route's rows; the access middleware guarantees one is present. */
export function ownerOf(res: Response): string {
  const principal = principalOf(res);
  if (!principal) throw new Error('owned route reached without an authenticated principal');
  return principal.ownerId;
}

/** The namespace of an Idempotency-Key: the key owner's, or one shared by anonymous callers. */
export const idempotencyScopeOf = (res: Response): string => principalOf(res)?.ownerId ?? 'anonymous';
