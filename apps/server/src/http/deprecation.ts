import { type ContractRoute, deprecationHeaders, deprecationLink, deprecationOf } from '@lockstep/contract';
import type { Response } from 'express';

/**
 * What every answer of a deprecated route carries, errors included: `Deprecation` (RFC 9745 §2),
 * `Sunset` (RFC 8594 §3) and `Link: <…>; rel="deprecation"` (RFC 9745 §3), the link appended so
 * a page's `rel="next"` stays beside it. Made once per route; undefined for a route that is not
 * deprecated.
 */
export function deprecationAnnouncer(route: ContractRoute): ((res: Response) => void) | undefined {
  const deprecation = deprecationOf(route);
  if (!deprecation) return undefined;
  const headers = deprecationHeaders(deprecation);
  const link = deprecationLink(deprecation);
  return function announceDeprecation(res) {
    res.set(headers).append('Link', link);
  };
}
