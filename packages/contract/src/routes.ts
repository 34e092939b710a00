import { type AppRoute, type AppRouter, initContract, isAppRoute } from '@ts-rest/core';
import { ProblemSchema } from './problem.js';

/** The ts-rest contract builder every resource's routes are declared with. */
export const c: ReturnType<typeof initContract> = initContract();

/**
 * Every error status a route may answer, each with an RFC 9457 problem body. Stated once: the
 * routes' response unions, the server's status mappings and the tests all derive from it.
 */
export const ERROR_STATUSES = [400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429, 500, 503] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

const errorResponses = Object.fromEntries(ERROR_STATUSES.map((status) => [status, ProblemSchema])) as {
  [Status in ErrorStatus]: typeof ProblemSchema;
};

/** Options of every resource router: each route's union of responses includes every problem. */
export const routerOptions = { strictStatusCodes: true, commonResponses: errorResponses } as const;

/**
 * Who may call a route. `owner`: an API key is required (scope `read` for GET, `write`
 * otherwise) and only the key owner's rows exist. `public`: anyone reads; writes need a `write`
 * key only in production, so tutorial code keeps working in development.
 */
export type Access = 'public' | 'owner';
export interface RouteMetadata {
  access: Access;
  /** Set when the route is on its way out: see `Deprecation`. */
  deprecated?: Deprecation;
}

/**
 * A route (or a body member) on its way out. The server announces it on every answer
 * (`Deprecation`, RFC 9745; `Sunset`, RFC 8594; `Link: <link>; rel="deprecation"`), the OpenAPI
 * document marks it `deprecated` with `x-sunset`, the typed client tells `onDeprecated` once, and
 * the breaking-change gate lets it be removed once `sunset` has passed (or earlier, when the usage
 * ledger shows nobody used it).
 */
export interface Deprecation {
  /** The day it was (or will be) deprecated, `YYYY-MM-DD` (UTC). */
  since: string;
  /** The day from which it may be removed (and stop answering), `YYYY-MM-DD` (UTC). */
  sunset: string;
  /** Where a human reads what replaces it (an absolute URL). */
  link: string;
}
export const publicRoute = { access: 'public' } as const satisfies RouteMetadata;
export const ownerRoute = { access: 'owner' } as const satisfies RouteMetadata;

/** One route of the contract, and a (nested) router of them: ts-rest's types under our names. */
export type ContractRoute = AppRoute;
export type ContractRouter = AppRouter;

/** A route of the contract and where it sits in it, e.g. `['events', 'update']`. */
export interface LocatedRoute {
  key: string[];
  route: ContractRoute;
}

/** Every route of a (nested) contract router, with its key path. */
export function contractRoutes(router: ContractRouter, prefix: string[] = []): LocatedRoute[] {
  return Object.entries(router).flatMap(([name, entry]) =>
    isAppRoute(entry) ? [{ key: [...prefix, name], route: entry }] : contractRoutes(entry, [...prefix, name]),
  );
}

/** The access a route declares in its metadata; `public` when it declares none. */
export const accessOf = (route: ContractRoute): Access =>
  (route.metadata as RouteMetadata | undefined)?.access ?? 'public';

/** The deprecation a route declares in its metadata, if any. */
export const deprecationOf = (route: ContractRoute): Deprecation | undefined =>
  (route.metadata as RouteMetadata | undefined)?.deprecated;

/** A path of the contract and the methods declared on it, e.g. `/todos/:id` with GET, PUT, PATCH, DELETE. */
export interface ContractPath {
  path: string;
  methods: string[];
  /** Matches a concrete URL path (`/todos/7`) the way Express does: any case, optional trailing slash. */
  pattern: RegExp;
}

/** `/todos/:id` → a pattern matching `/todos/7`: a parameter is one path segment, the rest literal. */
export function pathPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`, 'i');
}

/**
 * Every path of a contract with the methods it declares, in the contract's order: what a wrong
 * method is told in `Allow` (the server's 405, the mock's, and what `lockstep verify` expects).
 */
export function contractPaths(router: ContractRouter): ContractPath[] {
  const methods = new Map<string, string[]>();
  for (const { route } of contractRoutes(router))
    methods.set(route.path, [...(methods.get(route.path) ?? []), route.method]);
  return [...methods].map(([path, declared]) => ({ path, methods: declared, pattern: pathPattern(path) }));
}
