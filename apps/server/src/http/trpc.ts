import { STATUS_CODES } from 'node:http';
import { contract, type LockstepTrpcRouter, type TrpcErrorData } from '@lockstep/contract';
import { initTRPC, TRPCError } from '@trpc/server';
import { type CreateExpressContextOptions, createExpressMiddleware } from '@trpc/server/adapters/express';
import type { AppRoute } from '@ts-rest/core';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Services } from '../services/index.js';
import { contractRoutes } from './contract-routes.js';
import { HttpProblem } from './http-problem.js';
import { routeAuthorizer } from './middleware/access.js';
import { invalidInput, problemOf } from './problem.js';
import { restImplementations } from './rest.js';

type Context = CreateExpressContextOptions;

/** HTTP status → tRPC code, for the statuses this API answers. */
const TRPC_CODES: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
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
function inputParser(route: AppRoute) {
  const parts = {
    params: route.pathParams as z.ZodType | undefined,
    // An omitted query means "no parameters", so the route's defaults (limit, sort) apply.
    query: route.query as z.ZodType | undefined,
    body: 'body' in route && route.method !== 'DELETE' ? (route.body as z.ZodType) : undefined,
  };
  return (raw: unknown): ParsedInput => {
    const input = (raw ?? {}) as Record<string, unknown>;
    if (typeof input !== 'object' || Array.isArray(input)) throw new HttpProblem(400, 'The input must be an object.');
    const unknownKeys = Object.keys(input).filter(
      (key) => !(key in parts) || parts[key as keyof typeof parts] === undefined,
    );
    if (unknownKeys.length > 0) {
      throw new HttpProblem(400, `Unexpected input ${unknownKeys.join(', ')} for this procedure.`);
    }
    const parsed: ParsedInput = {};
    for (const key of ['params', 'query', 'body'] as const) {
      const schema = parts[key];
      if (!schema) continue;
      const result = schema.safeParse(key === 'query' ? (input.query ?? {}) : input[key]);
      if (!result.success) throw invalidInput(key, result.error);
      parsed[key] = result.data;
    }
    return parsed;
  };
}

/** One handler implementation per route, at the route's path in the contract. */
type Implementation = (args: Record<string, unknown>) => Promise<{ status: number; body: unknown }>;

function implementationAt(implementations: unknown, path: string[]): Implementation {
  const found = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], implementations);
  const handler = typeof found === 'function' ? found : (found as { handler?: unknown }).handler;
  if (typeof handler !== 'function') throw new Error(`no implementation for ${path.join('.')}`);
  return handler as Implementation;
}

function setAt(record: Record<string, unknown>, path: string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => {
    node[key] ??= {};
    return node[key] as Record<string, unknown>;
  }, record);
  parent[path.at(-1) as string] = value;
}

/**
 * The tRPC front door, derived route by route from the contract: each procedure validates its
 * input with the route's own schemas, runs the same access check as REST, then calls the very
 * same handler REST uses (so the same services, rules and shapes). Errors keep their REST
 * meaning: the tRPC code follows the HTTP status and `data.problem` carries the problem.
 */
export function trpcMiddleware(options: { services: Services; logger: Logger; production: boolean }): RequestHandler {
  const t = initTRPC.context<Context>().create({
    errorFormatter({ shape, error }) {
      const found = problemOf(error.cause) ?? problemOf(error);
      const data: TrpcErrorData = { ...shape.data, ...(found ? { problem: found } : {}) };
      delete (data as { stack?: string }).stack;
      return { ...shape, data };
    },
  });
  const authorize = routeAuthorizer(options.services.auth, { production: options.production });
  const implementations = restImplementations(options.services);

  const record: Record<string, unknown> = {};
  for (const { key: path, route } of contractRoutes(contract)) {
    const handler = implementationAt(implementations, path);
    const parseInput = inputParser(route);
    // tRPC only passes the input through; it is validated after the access check, in the
    // resolver, so that a caller without access learns nothing from validation, as with REST.
    const base = t.procedure
      .input((raw: unknown) => raw as ParsedInput)
      .use(async ({ ctx, next }) => {
        await authorize(ctx.req, ctx.res, route).catch((error: unknown) => {
          throw toTrpcError(error);
        });
        return next();
      });
    const resolve = async ({ input: raw, ctx }: { input: unknown; ctx: Context }) => {
      try {
        const parsed = parseInput(raw);
        const result = await handler({ ...parsed, headers: ctx.req.headers, req: ctx.req, res: ctx.res });
        // The REST handler announces the next page as a REST URL; over tRPC it would point
        // nowhere useful (callers pass `query.cursor` instead), so it is not sent.
        ctx.res.removeHeader('Link');
        return result.body;
      } catch (error) {
        throw toTrpcError(error);
      }
    };
    setAt(record, path, route.method === 'GET' ? base.query(resolve) : base.mutation(resolve));
  }
  const router = t.router(record as Parameters<typeof t.router>[0]) as unknown as LockstepTrpcRouter;

  return createExpressMiddleware({
    router,
    createContext: (context: Context) => context,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        options.logger.error({ err: error.cause ?? error, path }, 'tRPC error');
    },
  });
}

/** Turns the errors services and the access check raise into TRPCErrors with the REST status. */
export function toTrpcError(error: unknown): unknown {
  const found = problemOf(error);
  if (!found) return error;
  return new TRPCError({
    code: TRPC_CODES[found.status] ?? 'BAD_REQUEST',
    message: found.detail ?? STATUS_CODES[found.status] ?? 'Error',
    cause: error instanceof Error ? error : undefined,
  });
}
