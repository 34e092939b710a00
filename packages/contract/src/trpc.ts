import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import type { z } from 'zod';
import type { ChangeKind, Feed, FeedItem, Feeds } from './feeds.js';
import type { Problem } from './problem.js';
import type { Contract } from './router.js';

/**
 * The tRPC face of the contract, as types: one procedure per route, at the same path in the
 * router (`todos.get`, `events.update`, …). GET routes are queries, the others mutations. The
 * input is `{ params, query, body }` with the route's own schemas; the output is the body of
 * its success response. The server builds the runtime router from the same contract, so the
 * two cannot disagree; the client uses this type.
 */

type Empty = Record<never, never>;
type ParamsInput<R> = R extends { pathParams: z.ZodType } ? { params: z.input<R['pathParams']> } : Empty;
type QueryInput<R> = R extends { query: z.ZodType } ? { query?: z.input<R['query']> } : Empty;
type BodyInput<R> = R extends { method: 'POST' | 'PUT' | 'PATCH'; body: z.ZodType }
  ? { body: z.input<R['body']> }
  : Empty;

export type TrpcInput<R extends AppRoute> = ParamsInput<R> & QueryInput<R> & BodyInput<R>;

type SuccessStatus = 200 | 201;
type SuccessBody<R extends AppRoute> = {
  [S in Extract<keyof R['responses'], SuccessStatus>]: R['responses'][S] extends z.ZodType
    ? z.output<R['responses'][S]>
    : never;
}[Extract<keyof R['responses'], SuccessStatus>];

/**
 * One page of a list procedure. REST announces the next page in a `Link` header; tRPC has no
 * headers to speak of, so the cursor travels in the output: pass it back as `query.cursor`.
 */
export interface TrpcPage<Item> {
  items: Item[];
  /** The `cursor` of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** A GET route answering an array is a list: over tRPC it answers a page. */
export type TrpcOutput<R extends AppRoute> = R['method'] extends 'GET'
  ? SuccessBody<R> extends Array<infer Item>
    ? TrpcPage<Item>
    : SuccessBody<R>
  : SuccessBody<R>;

type ProcedureDef<R extends AppRoute> = { input: TrpcInput<R>; output: TrpcOutput<R>; meta: object };
export type TrpcProcedure<R extends AppRoute> = R['method'] extends 'GET'
  ? TRPCQueryProcedure<ProcedureDef<R>>
  : TRPCMutationProcedure<ProcedureDef<R>>;

export type TrpcRecord<C extends AppRouter> = {
  [K in keyof C]: C[K] extends AppRoute ? TrpcProcedure<C[K]> : C[K] extends AppRouter ? TrpcRecord<C[K]> : never;
};

/**
 * A change feed over tRPC: a subscription at `<resource>.changes` (SSE, `httpSubscriptionLink`),
 * input `{ params, query, lastEventId }`. Each event's `id` is the feed's cursor, which the link
 * sends back as `lastEventId` when it reconnects; its `data` is the change, or a reset.
 */
export type TrpcChange<Item> =
  | { kind: ChangeKind; id: number; item: Item | null; etag: string | null }
  | { kind: 'reset' };

type FeedInput<F extends Feed> = (F['pathParams'] extends z.ZodType ? { params: z.input<F['pathParams']> } : Empty) & {
  query?: Omit<z.input<F['query']>, 'lastEventId'>;
  lastEventId?: string | null;
};

type FeedProcedure<F extends Feed> = TRPCSubscriptionProcedure<{
  input: FeedInput<F>;
  output: AsyncIterable<{ id: string; data: TrpcChange<FeedItem<F>> }, void, unknown>;
  meta: object;
}>;

export type TrpcFeedRecord = { [K in keyof Feeds]: { changes: FeedProcedure<Feeds[K]> } };

/** The shape of `error.data` on every tRPC error: the RFC 9457 problem REST would have sent. */
export interface TrpcErrorData {
  code: string;
  httpStatus: number;
  path?: string;
  problem?: Problem;
}

export type LockstepTrpcRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: { code: number; message: string; data: TrpcErrorData };
    transformer: false;
  },
  TrpcRecord<Contract> & TrpcFeedRecord
>;

/** The tRPC endpoint's path on the server. */
export const TRPC_PATH = '/trpc';
