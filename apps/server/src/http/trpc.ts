import { STATUS_CODES } from 'node:http';
import {
  accessOf,
  type ContractRoute,
  type ErrorStatus,
  feedList,
  type LockstepTrpcRouter,
  TRPC_PATH,
  type TrpcErrorData,
  usageRoute,
} from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { initTRPC, TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CheckAccess } from '../auth/access.js';
import { ApiError } from '../core/api-error.js';
import { invalidInput } from '../core/field-errors.js';
import { atRouteKeys, type BoundRoute } from '../core/operation.js';
import { parseIfMatch } from '../core/preconditions.js';
import type { IdempotencyService } from '../idempotency/idempotency-keys.js';
import { INSTRUMENTATION_SCOPE } from '../telemetry/instruments.js';
import { deprecationAnnouncer } from './deprecation.js';
import { problemOf } from './problem-response.js';
import { contextOf, requestFields } from './request-context.js';
import { feedSubscription, type TrpcFeedOptions } from './trpc-feeds.js';
import { idempotentRequest, runIdempotently, type TrpcContext } from './trpc-idempotency.js';
import type { CountUse } from './usage.js';

/** A call's context: its HTTP request and response, and, when traced, the procedure's span. */
type Context = TrpcContext & { span?: Span };

/** The tRPC code of each error status the contract declares; the compiler keeps it complete. */
const TRPC_CODES: Record<ErrorStatus, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

interface ParsedInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * Validates `{ params, query, body }` with the route's own schemas and rejects as REST does:
 * a bad parameter is 400 (BAD_REQUEST), a bad body 422 (UNPROCESSABLE_CONTENT), each with the
 * offending fields in `data.problem.errors`.
 */
function inputParser(route: ContractRoute) {
  const parts = {
    params: route.pathParams as z.ZodType | undefined,
    // An omitted query means "no parameters", so the route's defaults (limit, sort) apply.
    query: route.query as z.ZodType | undefined,
    body: 'body' in route && route.method !== 'DELETE' ? (route.body as z.ZodType) : undefined,
  };
  return function parseInput(raw: unknown): ParsedInput {
    const input = (raw ?? {}) as Record<string, unknown>;
    if (typeof input !== 'object' || Array.isArray(input))
      throw new ApiError(400, { detail: 'The input must be an object.' });
    const unknownKeys = Object.keys(input).filter(
      (key) => !(key in parts) || parts[key as keyof typeof parts] === undefined,
    );
    if (unknownKeys.length > 0) {
      throw new ApiError(400, { detail: `Unexpected input ${unknownKeys.join(', ')} for this procedure.` });
    }
    const parsed: ParsedInput = {};
    for (const key of ['params', 'query', 'body'] as const) {
      const schema = parts[key];
      if (!schema) continue;
      const result = schema.safeParse(key === 'query' ? (input.query ?? {}) : input[key]);
      if (!result.success) throw invalidInput(key, result.error.issues);
      parsed[key] = result.data;
    }
    return parsed;
  };
}

/** An ApiError as tRPC carries it: the code follows the HTTP status, the problem rides along. */
function toTrpcError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new TRPCError({
    code: TRPC_CODES[error.status],
    message: error.message || STATUS_CODES[error.status] || 'Error',
    cause: error,
  });
}

export interface TrpcOptions extends TrpcFeedOptions {
  /** Counts each procedure call in the usage ledger under its route, when the ledger is on. */
  countUse: CountUse | undefined;
  /** Every contract route with its operation (`bindOperations`), outcomes checked as configured. */
  routes: BoundRoute[];
  /** A span per procedure call, named by its contract key (tracing is on). */
  traced: boolean;
  checkAccess: CheckAccess;
  idempotency: IdempotencyService;
  logger: Logger;
  /** How often a subscription's stream is pinged (SSE_HEARTBEAT_MS, as REST's feeds). */
  heartbeatMs: number;
}

/**
 * The tRPC front door, derived route by route from the contract: each procedure checks access
 * as REST does, validates its input with the route's own schemas and runs the route's
 * operation. A list answers `{ items, nextCursor }` (REST's `Link` header, as data). Errors keep
 * their REST meaning: the tRPC code follows the status and `data.problem` carries the problem.
 */
export function trpcMiddleware(options: TrpcOptions): RequestHandler[] {
  const t = initTRPC.context<Context>().create({
    sse: { ping: { enabled: true, intervalMs: options.heartbeatMs } },
    errorFormatter({ shape, error }) {
      const problem = problemOf(error.cause);
      const data: TrpcErrorData = { ...shape.data, ...(problem ? { problem } : {}) };
      delete (data as { stack?: string }).stack;
      return { ...shape, data };
    },
  });

  // A span per call, under the request's span, named by the procedure's contract key
  // (`todos.get`): a batch of calls is one request and several procedure spans.
  const tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  const tracedProcedure = t.middleware(async ({ path, type, ctx, next }) => {
    const request = contextOf(ctx.req).span;
    const span = tracer.startSpan(
      path,
      { kind: SpanKind.INTERNAL, attributes: { 'rpc.system': 'trpc', 'rpc.method': path, 'trpc.type': type } },
      request ? trace.setSpan(ROOT_CONTEXT, request) : ROOT_CONTEXT,
    );
    try {
      // The call's queries go under its span (`resolve` below).
      const result = await next({ ctx: { span } });
      if (!result.ok) {
        const status = getHTTPStatusCodeFromError(result.error);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (status >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, result.error.code);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      return result;
    } finally {
      span.end();
    }
  });

  const procedure = ({ route, operation }: BoundRoute) => {
    const parseInput = inputParser(route);
    // A procedure is its route called another way: the ledger counts it under the same name.
    const usage = usageRoute(route.method, route.path);
    const announceDeprecation = deprecationAnnouncer(route);
    // The input is validated after the access check, so that a caller without access learns
    // nothing from validation, as with REST.
    const resolve = async ({ input, ctx }: { input: unknown; ctx: Context }) => {
      options.countUse?.(ctx.req, usage);
      // The HTTP answer of a batch holding a deprecated call says so too; which call it is, the
      // tRPC client reads from its contract.
      announceDeprecation?.(ctx.res);
      try {
        const caller = options.checkAccess({
          access: accessOf(route),
          method: route.method,
          credentials: contextOf(ctx.req).credentials,
        });
        const run = (db: DataAccess) =>
          operation(
            {
              ...{ params: undefined, query: undefined, body: undefined },
              ...parseInput(input),
              caller,
              ifMatch: parseIfMatch(ctx.req.get('if-match')),
            },
            db,
          );
        const key = route.method === 'POST' ? ctx.req.get('idempotency-key') : undefined;
        const db = options.dataOf(ctx.req, ctx.span);
        const outcome =
          key === undefined
            ? await run(db)
            : await runIdempotently(
                options.idempotency,
                idempotentRequest(route, input, caller, key, ctx),
                ctx,
                run,
                db,
              );
        if (route.method === 'GET' && Array.isArray(outcome.body)) {
          return { items: outcome.body, nextCursor: outcome.next ?? null };
        }
        return outcome.body;
      } catch (error) {
        throw toTrpcError(error);
      }
    };
    const base = (options.traced ? t.procedure.use(tracedProcedure) : t.procedure).input((raw: unknown) => raw);
    return route.method === 'GET' ? base.query(resolve) : base.mutation(resolve);
  };

  const record = atRouteKeys(options.routes, procedure);
  // Each feed beside its resource's routes: `todos.changes`, a subscription.
  for (const feed of feedList()) {
    const changes = feedSubscription(feed, options);
    const usage = usageRoute('GET', feed.path);
    (record[feed.resource] as Record<string, unknown>).changes = t.procedure
      .input((raw: unknown) => raw)
      .subscription(async function* (request) {
        options.countUse?.(request.ctx.req, usage);
        try {
          yield* changes(request);
        } catch (error) {
          throw toTrpcError(error);
        }
      });
  }
  const router = t.router(record as Parameters<typeof t.router>[0]) as unknown as LockstepTrpcRouter;

  return [
    allowTrpcMethods,
    jsonUnlessSaidOtherwise,
    createExpressMiddleware({
      router,
      createContext: ({ req, res }) => ({ req, res }),
      // Every whole answer is one JSON document, tRPC's own request errors included (see
      // `jsonUnlessSaidOtherwise`). Streams keep their type.
      responseMeta: ({ eagerGeneration }) =>
        eagerGeneration ? {} : { headers: { 'content-type': 'application/json' } },
      onError({ error, path, req }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          options.logger.error({ err: error.cause ?? error, path, ...requestFields(req) }, 'tRPC error');
      },
    }),
  ];
}

/**
 * tRPC's answers are JSON documents, but two kinds come unlabelled or labelled text/plain: the
 * adapter's own refusal of a request it cannot make a URL of (a Host header that is no host, a
 * 400 as RFC 9112 §3.2 asks), and request errors of `resolveResponse` (a mixed batch, an input
 * that does not parse). The first is labelled here, before tRPC writes; every header tRPC sets
 * itself (a stream's type) replaces it. The second is labelled by `responseMeta` below.
 */
const jsonUnlessSaidOtherwise: RequestHandler = function jsonUnlessSaidOtherwise(_req, res, next) {
  res.setHeader('Content-Type', 'application/json');
  next();
};

/** tRPC speaks GET (queries) and POST (mutations, batches); any other method is a 405 here. */
const TRPC_METHODS = 'GET, HEAD, OPTIONS, POST';
const allowTrpcMethods: RequestHandler = function allowTrpcMethods(req, res, next) {
  if (['GET', 'HEAD', 'POST'].includes(req.method)) {
    next();
    return;
  }
  res.setHeader('Allow', TRPC_METHODS);
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next(new ApiError(405, { detail: `${req.method} is not allowed on ${TRPC_PATH}; allowed: ${TRPC_METHODS}.` }));
};
