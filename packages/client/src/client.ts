import { type Contract, contract, nextPageLink, type Problem, ProblemSchema } from '@lockstep/contract';
import {
  type ApiFetcherArgs,
  type AppRoute,
  type AppRouteFunction,
  type AppRouter,
  type ClientInferResponseBody,
  type ClientInferResponses,
  initClient,
  isAppRoute,
} from '@ts-rest/core';
import type { ZodType } from 'zod';
import { type ContractNoticeOptions, contractNotices } from './contract-notices.js';
import { HttpError, ResponseValidationError } from './errors.js';
import { type FeedClients, feedClients } from './feeds.js';
import { createTransport, type IncomingResponse, type Transport, type TransportOptions } from './transport.js';

export interface ClientOptions extends TransportOptions, ContractNoticeOptions {
  /** Throw HttpError for every non-2xx answer instead of returning it. Default false. */
  throwOnError?: boolean;
}

type TsRestArgs = { baseUrl: string; baseHeaders: Record<string, string>; throwOnUnknownStatus: false };
type SuccessStatus = 200 | 201;

/** The body of a route's success response. */
export type SuccessBody<R extends AppRoute> = ClientInferResponseBody<R, Extract<keyof R['responses'], SuccessStatus>>;

/** A status-discriminated response, plus `unwrap()`: the body on 2xx, an HttpError otherwise. */
export type RouteResult<R extends AppRoute> = ClientInferResponses<R> & { unwrap(): SuccessBody<R> };

/** What a route's function takes: `{ params, query, body }` as the route declares them, plus `extraHeaders` and `fetchOptions`. */
export type RouteArgs<R extends AppRoute> = Parameters<AppRouteFunction<R, TsRestArgs>>[0];

type RouteCall<R extends AppRoute> = (...args: Parameters<AppRouteFunction<R, TsRestArgs>>) => Promise<RouteResult<R>>;

type ListExtras<R extends AppRoute> = R['method'] extends 'GET'
  ? SuccessBody<R> extends Array<infer Item>
    ? { all(...args: Parameters<AppRouteFunction<R, TsRestArgs>>): AsyncIterable<Item> }
    : unknown
  : unknown;

/** One function per route of a (nested) contract router, at the route's path in it. */
export type RouteClient<C extends AppRouter = Contract> = {
  [K in keyof C]: C[K] extends AppRoute
    ? RouteCall<C[K]> & ListExtras<C[K]>
    : C[K] extends AppRouter
      ? RouteClient<C[K]>
      : never;
};

/**
 * The typed client: one function per contract route, at the route's path in the contract, and
 * each resource's change feed beside its routes (`client.todos.changes()`).
 */
export type LockstepClient = RouteClient<Contract> & FeedClients;

const isSuccess = (status: number) => status >= 200 && status < 300;

/** Answers a gateway or proxy may give in the server's place; they are errors, not contract breaches. */
const INTERMEDIARY_STATUSES = new Set([408, 502, 504]);

/** Checks a response against the route's declared schema for its status: the server's side of the contract. */
function validate(route: AppRoute, response: IncomingResponse): unknown {
  const schema = (route.responses as Record<number, unknown>)[response.status] as ZodType | undefined;
  if (response.status >= 300 && response.status < 400) return response.body; // redirects not followed on purpose
  if (!schema && INTERMEDIARY_STATUSES.has(response.status)) return response.body;
  if (!schema || typeof schema.safeParse !== 'function') {
    throw new ResponseValidationError(response.status, response.body, [
      { path: '', message: `status ${response.status} is not declared for ${route.method} ${route.path}` },
    ]);
  }
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new ResponseValidationError(
      response.status,
      response.body,
      parsed.error.issues.map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message })),
    );
  }
  return parsed.data;
}

function parseProblem(body: unknown): Problem | undefined {
  const parsed = ProblemSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

function withUnwrap<T extends { status: number; body: unknown; headers: Headers }>(result: T) {
  return Object.assign(result, {
    unwrap() {
      if (isSuccess(result.status)) return result.body;
      throw new HttpError(result.status, parseProblem(result.body), result.headers, result.body);
    },
  });
}

/** The `rel="next"` target of a response's Link header (RFC 8288), if any. */
export const nextLink = (headers: Headers): string | undefined => nextPageLink(headers.get('link'));

type AnyCall = (args?: Record<string, unknown>) => Promise<{ status: number; body: unknown; headers: Headers }>;

function bind(
  router: AppRouter,
  tsRest: Record<string, unknown>,
  transport: Transport,
  options: ClientOptions,
): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(router)) {
    if (!isAppRoute(entry)) {
      bound[key] = bind(entry, tsRest[key] as Record<string, unknown>, transport, options);
      continue;
    }
    const route = entry;
    const raw = tsRest[key] as AnyCall;
    const call = async (args?: Record<string, unknown>) => {
      const result = withUnwrap(await raw(args));
      if (options.throwOnError && !isSuccess(result.status)) result.unwrap();
      return result;
    };
    /** Every item of every page, following `Link: <…>; rel="next"` until there is none. */
    async function* all(args?: Record<string, unknown>) {
      let current = args;
      for (;;) {
        const page = await call(current);
        const items = page.unwrap();
        if (!Array.isArray(items)) return;
        yield* items;
        const next = nextLink(page.headers);
        if (!next) return;
        const url = new URL(next, `${transport.baseUrl}/`);
        current = { ...args, query: Object.fromEntries(url.searchParams) };
      }
    }
    bound[key] = route.method === 'GET' ? Object.assign(call, { all }) : call;
  }
  return bound;
}

/**
 * Creates the typed REST client. Every route of the contract is a function taking the route's
 * `{ params, query, body }` (plus `fetchOptions: { signal }` and `extraHeaders`) and returning
 * `{ status, body, headers }` checked against the contract, with `unwrap()`.
 */
export function createClient(options: ClientOptions): LockstepClient {
  const transport = createTransport(options);
  const notices = contractNotices(options);
  const api = async (args: ApiFetcherArgs) => {
    const response = await transport.send({
      method: args.method,
      url: args.path,
      headers: args.headers,
      body: typeof args.body === 'string' ? args.body : undefined,
      signal: args.fetchOptions?.signal ?? undefined,
    });
    notices.sawAnswer(args.route, response.headers);
    return { status: response.status, body: validate(args.route, response), headers: response.headers };
  };
  const tsRest = initClient(contract, {
    baseUrl: transport.baseUrl,
    baseHeaders: {},
    throwOnUnknownStatus: false,
    api,
  });
  const routes = bind(contract, tsRest as unknown as Record<string, unknown>, transport, options);
  for (const [resource, feed] of Object.entries(feedClients(options, transport.baseUrl))) {
    Object.assign(routes[resource] as object, feed);
  }
  return routes as unknown as LockstepClient;
}
