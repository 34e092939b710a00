import { accessOf, type ContractRoute, type ContractRouter, contract, usageRoute } from '@lockstep/contract';
import { createExpressEndpoints, type RequestValidationError } from '@ts-rest/express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { CheckAccess } from '../auth/access.js';
import { invalidInput } from '../core/field-errors.js';
import { atRouteKeys, type BoundRoute } from '../core/operation.js';
import { parseIfMatch } from '../core/preconditions.js';
import type { IdempotencyService } from '../idempotency/idempotency-keys.js';
import type { RequestData } from '../telemetry/query-spans.js';
import { deprecationAnnouncer } from './deprecation.js';
import { idempotency as idempotencyMiddleware } from './middleware/idempotency.js';
import { contextOf } from './request-context.js';
import type { CountUse } from './usage.js';

/** ts-rest found the request invalid: answer with the part it failed on (path, query, headers, body). */
function onInvalidRequest(error: RequestValidationError, _req: Request, _res: Response, next: NextFunction): void {
  const part = error.pathParams ? 'params' : error.query ? 'query' : error.headers ? 'headers' : 'body';
  const failure = { params: error.pathParams, query: error.query, headers: error.headers, body: error.body }[part];
  next(invalidInput(part, failure?.issues ?? []));
}

/**
 * The REST face of one route: the request's validated parts, caller and `If-Match` in, the
 * operation's outcome out as status and body, with `Location` for a created resource and
 * `Link: <…>; rel="next"` (RFC 8288) for the next page: the request's own URL with the cursor
 * replaced, relative to the server. The ETag comes from Express's `etag` setting. A POST with a
 * new Idempotency-Key runs in one transaction with the record of its answer; if another instance
 * committed the same key first, its answer is replayed.
 */
function restHandler({ operation }: BoundRoute, { dataOf, idempotency }: Pick<RestOptions, 'dataOf' | 'idempotency'>) {
  return async function restHandler({
    params,
    query,
    body,
    req,
    res,
  }: {
    params: unknown;
    query: unknown;
    body: unknown;
    req: Request;
    res: Response;
  }) {
    const context = contextOf(req);
    const input = { params, query, body, caller: context.principal, ifMatch: parseIfMatch(req.get('if-match')) };
    const db = dataOf(req);
    let outcome: Awaited<ReturnType<typeof operation>>;
    if (context.idempotency) {
      const ran = await idempotency.runOnce(context.idempotency.request, (tx) => operation(input, tx), db);
      context.idempotency.recorded = true;
      if (ran.kind === 'replay') {
        res.set(ran.response.headers).setHeader('Idempotent-Replayed', 'true');
        return { status: ran.response.status, body: JSON.parse(ran.response.body) as unknown };
      }
      outcome = ran.outcome;
    } else {
      outcome = await operation(input, db);
    }
    if (outcome.location) res.location(outcome.location);
    if (outcome.next) {
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.set('cursor', outcome.next);
      // Appended: a deprecated route's `rel="deprecation"` link is already there.
      res.append('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return { status: outcome.status, body: outcome.body };
  };
}

/** What ts-rest mounts: a record of handlers at the contract's keys. */
type RouterImplementation = Parameters<typeof createExpressEndpoints<typeof contract>>[1];

function implementation(
  routes: BoundRoute[],
  options: Pick<RestOptions, 'dataOf' | 'idempotency'>,
): RouterImplementation {
  // Each handler's types are the operation's, which `Operations<Contract>` checks per route.
  return atRouteKeys(routes, (route) => restHandler(route, options)) as unknown as RouterImplementation;
}

export interface RestOptions {
  /** Every contract route with its operation (`bindOperations`), outcomes checked as configured. */
  routes: BoundRoute[];
  /** Where a request's operation runs, outside an idempotent request's transaction. */
  dataOf: RequestData;
  checkAccess: CheckAccess;
  idempotency: IdempotencyService;
  /** Counts each request in the usage ledger, when it is on. */
  countUse: CountUse | undefined;
  /** The contract `routes` were bound from, when it is not the API's (a test's fixture). */
  contract?: ContractRouter;
}

/** What each route says of itself before any handler: its ledger name, and its deprecation if it has one. */
interface RouteFacts {
  usage: string;
  announceDeprecation: ((res: Response) => void) | undefined;
}

const routeFacts = (route: ContractRoute): RouteFacts => ({
  usage: usageRoute(route.method, route.path),
  announceDeprecation: deprecationAnnouncer(route),
});

/**
 * The REST front door: every contract route mounted through ts-rest, which validates the
 * request against the route's schemas. Before any handler: access control (from the route's
 * metadata in the contract) with its cache headers, then Idempotency-Key.
 */
export function mountRestRoutes(app: Router, options: RestOptions): void {
  const idempotent = idempotencyMiddleware(options.idempotency, options.dataOf);
  // ts-rest hands each request the contract's own route object: its facts are made once, here.
  const factsOf = new Map(options.routes.map(({ route }) => [route, routeFacts(route)]));
  // Responses are checked against the contract where REST and tRPC share them (`checkingOutcomes`).
  // The contract the routes were bound from: the API's, or a test's fixture (a deprecated route, say).
  const mounted = (options.contract ?? contract) as typeof contract;
  createExpressEndpoints(mounted, implementation(options.routes, options), app, {
    requestValidationErrorHandler: onInvalidRequest,
    globalMiddleware: [
      function accessControl(req, res, next) {
        const facts = factsOf.get(req.tsRestRoute) ?? routeFacts(req.tsRestRoute);
        options.countUse?.(req, facts.usage);
        facts.announceDeprecation?.(res);
        const access = accessOf(req.tsRestRoute);
        // Owned answers differ per key: private to the caller, and varying with Authorization.
        if (access === 'owner') {
          res.setHeader('Cache-Control', 'private, no-cache');
          res.vary('Authorization');
        } else {
          res.setHeader('Cache-Control', 'no-cache');
        }
        const context = contextOf(req);
        try {
          const principal = options.checkAccess({ access, method: req.method, credentials: context.credentials });
          if (principal) context.principal = principal;
          next();
        } catch (error) {
          next(error);
        }
      },
      (req, res, next) => void idempotent(req, res, next),
    ],
  });
}
