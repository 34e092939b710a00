import { accessOf, type Contract, contract } from '@lockstep/contract';
import { createExpressEndpoints, type RequestValidationError } from '@ts-rest/express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { CheckAccess } from '../auth/access.js';
import { invalidInput } from '../core/field-errors.js';
import { type AnyOperation, atRouteKeys, type BoundRoute, bindOperations, type Operations } from '../core/operation.js';
import { parseIfMatch } from '../core/preconditions.js';
import type { IdempotencyService } from '../idempotency/idempotency-keys.js';
import {
  idempotency as idempotencyMiddleware,
  inFlight,
  keyReused,
  replayedHeaders,
} from './middleware/idempotency.js';
import { contextOf, type RequestContext } from './request-context.js';

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
 * replaced, relative to the server. The ETag comes from Express's `etag` setting.
 */
function restHandler({ operation }: BoundRoute, idempotency: IdempotencyService) {
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
    const run = () =>
      operation({ params, query, body, caller: context.principal, ifMatch: parseIfMatch(req.get('if-match')) });
    if (context.idempotency) return runIdempotently(context.idempotency, run, res, idempotency);
    const outcome = await run();
    if (outcome.location) res.location(outcome.location);
    if (outcome.next) {
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.set('cursor', outcome.next);
      res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    return { status: outcome.status, body: outcome.body };
  };
}

type Idempotent = NonNullable<RequestContext['idempotency']>;

/**
 * A POST with a new Idempotency-Key: the operation's writes and the record of its response
 * commit together. If another instance committed the same key first, its response is replayed.
 */
async function runIdempotently(
  idempotent: Idempotent,
  run: () => ReturnType<AnyOperation>,
  res: Response,
  idempotency: IdempotencyService,
) {
  const ran = await idempotency.runOnce(idempotent.request, run, (outcome) => ({
    status: outcome.status,
    headers: replayedHeaders(res, {
      'content-type': 'application/json; charset=utf-8',
      ...(outcome.location ? { location: outcome.location } : {}),
    }),
    body: JSON.stringify(outcome.body),
  }));
  idempotent.recorded = true;
  if (ran.kind === 'ran') {
    if (ran.result.location) res.location(ran.result.location);
    return { status: ran.result.status, body: ran.result.body };
  }
  const found = await idempotency.lookup(idempotent.request);
  if (found.kind === 'mismatch') throw keyReused();
  if (found.kind === 'new') throw inFlight();
  res.set(found.response.headers).setHeader('Idempotent-Replayed', 'true');
  return { status: found.response.status, body: JSON.parse(found.response.body) as unknown };
}

/** What ts-rest mounts: a record of handlers at the contract's keys. */
type RouterImplementation = Parameters<typeof createExpressEndpoints<Contract>>[1];

function implementation(routes: BoundRoute[], idempotency: IdempotencyService): RouterImplementation {
  // Each handler's types are the operation's, which `Operations<Contract>` checks per route.
  return atRouteKeys(routes, (route) => restHandler(route, idempotency)) as unknown as RouterImplementation;
}

export interface RestOptions {
  operations: Operations<Contract>;
  checkAccess: CheckAccess;
  idempotency: IdempotencyService;
  logger: Logger;
  /** Check every response body against the contract (on under test, so mappers cannot drift). */
  validateResponses: boolean;
}

/**
 * The REST front door: every contract route mounted through ts-rest, which validates the
 * request against the route's schemas. Before any handler: access control (from the route's
 * metadata in the contract) with its cache headers, then Idempotency-Key.
 */
export function mountRestRoutes(app: Router, options: RestOptions): void {
  const idempotent = idempotencyMiddleware(options.idempotency, options.logger);
  createExpressEndpoints(
    contract,
    implementation(bindOperations(contract, options.operations), options.idempotency),
    app,
    {
      requestValidationErrorHandler: onInvalidRequest,
      responseValidation: options.validateResponses,
      globalMiddleware: [
        function accessControl(req, res, next) {
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
        (req, res, next) => void idempotent(req as unknown as Request, res, next),
      ],
    },
  );
}
