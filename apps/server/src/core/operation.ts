import { type ContractRoute, type ContractRouter, contractRoutes, type LocatedRoute } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import type { z } from 'zod';
import type { Principal } from '../auth/api-keys.js';
import type { IfMatch } from './preconditions.js';

/**
 * Operations: one transport-neutral function per contract route. An operation takes the route's
 * validated input and answers a typed outcome; it never sees Express, ts-rest or tRPC. The REST
 * and tRPC front doors only translate requests into inputs and outcomes into responses.
 */

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;
type Part<R, Member extends string> = R extends { [K in Member]: infer Schema } ? Output<Schema> : undefined;

/** Owner-only routes are reached only with an authenticated caller; public ones maybe without. */
export type CallerOf<R extends ContractRoute> = R['metadata'] extends { access: 'owner' }
  ? Principal
  : Principal | undefined;

export interface OperationInput<R extends ContractRoute> {
  params: Part<R, 'pathParams'>;
  query: Part<R, 'query'>;
  body: Part<R, 'body'>;
  caller: CallerOf<R>;
  /** The request's `If-Match` precondition, for the operations that write an existing resource. */
  ifMatch: IfMatch | undefined;
}

type SuccessStatus<R extends ContractRoute> = Extract<keyof R['responses'], 200 | 201>;

/**
 * What an operation answers: a success status and body the contract declares for the route, and
 * what a front door announces beside them: where a created resource lives (`location`) and, for
 * lists, the opaque cursor of the next page (`next`). Failures are thrown as `ApiError`.
 */
export type Outcome<R extends ContractRoute> = {
  [Status in SuccessStatus<R>]: {
    status: Status;
    body: Output<R['responses'][Status]>;
    location?: string;
    next?: string;
  };
}[SuccessStatus<R>];

/**
 * One route's work: its validated input in, its outcome out, its queries on `db`: the database,
 * or the transaction of an idempotent request, which commits the work with the record of its
 * answer (see `IdempotencyService`). An operation never reaches for a database of its own.
 */
export type Operation<R extends ContractRoute> = (input: OperationInput<R>, db: DataAccess) => Promise<Outcome<R>>;

/** The operations of a (nested) contract router, at the same keys: the compiler checks each. */
export type Operations<C extends ContractRouter> = {
  [K in keyof C]: C[K] extends ContractRoute ? Operation<C[K]> : C[K] extends ContractRouter ? Operations<C[K]> : never;
};

/** An operation as a front door sees it once its route's types are no longer in view. */
export type AnyOperation = (
  input: {
    params: unknown;
    query: unknown;
    body: unknown;
    caller: Principal | undefined;
    ifMatch: IfMatch | undefined;
  },
  db: DataAccess,
) => Promise<AnyOutcome>;

/** An outcome as a front door sees it. */
export interface AnyOutcome {
  status: number;
  body: unknown;
  location?: string;
  next?: string;
}

export interface BoundRoute extends LocatedRoute {
  operation: AnyOperation;
}

/**
 * Every route of the contract paired with its operation: what each front door walks to mount
 * itself, so neither can leave a route out or implement one the contract does not have.
 */
export function bindOperations<C extends ContractRouter>(contract: C, operations: Operations<C>): BoundRoute[] {
  return contractRoutes(contract).map((located) => {
    const operation = located.key.reduce<unknown>(
      (node, key) => (node as Record<string, unknown> | undefined)?.[key],
      operations,
    );
    if (typeof operation !== 'function') throw new Error(`no operation for ${located.key.join('.')}`);
    return { ...located, operation: operation as AnyOperation };
  });
}

/**
 * A nested record holding `build(route)` at each route's key (`todos.get` → `{ todos: { get } }`):
 * the shape both ts-rest and tRPC mount.
 */
export function atRouteKeys<T>(routes: BoundRoute[], build: (route: BoundRoute) => T): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const route of routes) {
    const parent = route.key.slice(0, -1).reduce<Record<string, unknown>>((node, key) => {
      node[key] ??= {};
      return node[key] as Record<string, unknown>;
    }, record);
    parent[route.key.at(-1) as string] = build(route);
  }
  return record;
}
