/**
 * TanStack Query bindings derived from the contract: for every route, typed `queryOptions`
 * (GET), `infiniteQueryOptions` (GET lists, paged by their `Link` cursors) and
 * `mutationOptions` (writes), with query keys per resource and route.
 *
 * Beyond what such bindings usually do, they use the HTTP features this API has: a refetch
 * sends `If-None-Match`, so an unchanged resource costs a 304 and keeps its object (no
 * re-render); a PUT, PATCH or DELETE sends `If-Match` with the ETag of the cached item and
 * turns a 412 into a `PreconditionFailedError` carrying the current version, for the UI to
 * reload or overwrite; a POST keeps one `Idempotency-Key` across every attempt. Retries stay in
 * the client's transport (which honours `Retry-After` on 429 and 503), so TanStack's own are off
 * by default and attempts are not multiplied.
 */
import { type Contract, contract, type Feeds, feeds } from '@lockstep/contract';
import {
  type DataTag,
  type InfiniteData,
  infiniteQueryOptions,
  mutationOptions,
  type QueryClient,
  type QueryKey,
  queryOptions,
  type UseInfiniteQueryOptions,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { type AppRoute, type AppRouter, isAppRoute } from '@ts-rest/core';
import { type LockstepClient, nextLink, type RouteArgs, type SuccessBody } from './client.js';
import { HttpError, type LockstepError } from './errors.js';
import type { FeedMessage, FollowOptions } from './feeds.js';

/** Every key of these bindings starts with this, so `invalidateQueries({ queryKey: ['lockstep'] })` reaches all. */
export const QUERY_KEY_ROOT = 'lockstep';

/** What identifies a request: its path parameters and query (not headers or signals). */
export interface KeyInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

/** `[root, ...route path in the contract, { params, query }]`, e.g. `['lockstep', 'events', 'get', { params: { eventId: '1' } }]`. */
export type RouteQueryKey = readonly [typeof QUERY_KEY_ROOT, ...string[], KeyInput];

type Args<R extends AppRoute> = NonNullable<RouteArgs<R>>;
/** A route's input as the contract declares it: `params`, `query` and `body`, those it has. */
export type RouteInput<R extends AppRoute> = Pick<Args<R>, Extract<keyof Args<R>, 'params' | 'query' | 'body'>>;

/** A write's variables: the route's input, and `ifMatch` to send another ETag (or `false` for none). */
export type MutationVariables<R extends AppRoute> = RouteInput<R> & { ifMatch?: string | false };

/** One page of a list: its rows. The cursor of the next page is read from its `Link` header. */
export type Page<R extends AppRoute> = SuccessBody<R>;
/** Infinite queries start at the first page (`null`) and follow `Link` cursors. */
export type PageParam = string | null;

export type RouteQueryOptions<R extends AppRoute> = UseQueryOptions<
  SuccessBody<R>,
  LockstepError,
  SuccessBody<R>,
  RouteQueryKey
> & {
  queryKey: DataTag<RouteQueryKey, SuccessBody<R>, LockstepError>;
};

export type RouteInfiniteQueryOptions<R extends AppRoute> = UseInfiniteQueryOptions<
  Page<R>,
  LockstepError,
  InfiniteData<Page<R>, PageParam>,
  RouteQueryKey,
  PageParam
> & { queryKey: DataTag<RouteQueryKey, InfiniteData<Page<R>, PageParam>, LockstepError> };

export type RouteMutationOptions<R extends AppRoute> = UseMutationOptions<
  SuccessBody<R>,
  LockstepError,
  MutationVariables<R>
>;

type ReadBindings<R extends AppRoute> = {
  /** The route's query key for an input; without one, the prefix of all of the route's keys. */
  key(input?: RouteInput<R>): QueryKey;
  queryOptions(input: RouteInput<R>): RouteQueryOptions<R>;
} & (SuccessBody<R> extends unknown[]
  ? { infiniteQueryOptions(input: RouteInput<R>): RouteInfiniteQueryOptions<R> }
  : unknown);

type WriteBindings<R extends AppRoute> = { mutationOptions(): RouteMutationOptions<R> };

type RouteBindings<R extends AppRoute> = R['method'] extends 'GET' ? ReadBindings<R> : WriteBindings<R>;

/** The bindings of a contract router: its tree, a binding per route, and `key()` per resource. */
export type RouteQueryBindings<C extends AppRouter = Contract> = {
  [K in keyof C]: C[K] extends AppRoute
    ? RouteBindings<C[K]>
    : C[K] extends AppRouter
      ? RouteQueryBindings<C[K]> & { key(): QueryKey }
      : never;
};

/**
 * `follow(options)`: follows the resource's change feed and applies each change to the cache as
 * it arrives; answers the function that stops following. `onChange` sees each change after it is
 * applied (a form may tell its user that what they edit changed elsewhere).
 */
export type FollowBindings<K extends keyof Feeds> = {
  follow(
    options?: Omit<FollowOptions<Feeds[K]>, 'signal'> & {
      onChange?: (change: FeedMessage<unknown>) => void;
      onError?: (error: unknown) => void;
    },
  ): () => void;
};

/**
 * The bindings: the contract's tree, a binding per route, `key()` and `follow()` per resource,
 * and `etagOf(data)`: the ETag a cached object was read with (what a form opened on it should
 * send as If-Match, even once a newer version has reached the cache).
 */
export type QueryBindings = {
  [K in keyof Contract]: RouteQueryBindings<Contract>[K] & (K extends keyof Feeds ? FollowBindings<K> : unknown);
} & { etagOf(data: unknown): string | undefined };

/** The current version, read again when a write answered 412: reload it, or overwrite with its ETag. */
export class PreconditionFailedError extends HttpError {
  static override readonly kind: string = 'PreconditionFailedError';
  constructor(
    failure: HttpError,
    /** The resource as it is now (undefined if it could not be read, e.g. deleted meanwhile). */
    readonly current: unknown,
    /** Its ETag: send it as `ifMatch` to overwrite. */
    readonly currentEtag: string | undefined,
  ) {
    super(failure.status, failure.problem, failure.headers, failure.body);
  }
}

type AnyCall = (
  args?: Record<string, unknown>,
) => Promise<{ status: number; body: unknown; headers: Headers; unwrap(): unknown }>;

/** The read of the item a write changes: its query key and the client's function. */
interface ItemRead {
  key(input: KeyInput): QueryKey;
  call: AnyCall;
}

/** Path parameters as text, so `{ id: 1 }` and `{ id: '1' }` name the same cache entry. */
function keyInput(input: KeyInput | undefined): KeyInput {
  const key: KeyInput = {};
  if (input?.params)
    key.params = Object.fromEntries(Object.entries(input.params).map(([name, value]) => [name, String(value)]));
  if (input?.query && Object.keys(input.query).length > 0) key.query = input.query;
  return key;
}

export interface QueryBindingsOptions {
  client: LockstepClient;
  /** The app's QueryClient: writes read cached ETags from it and update it. */
  queryClient: QueryClient;
}

/**
 * Binds the client to TanStack Query. Each read answers options for `useQuery`/`useInfiniteQuery`
 * (or `queryClient.fetchQuery`), each write options for `useMutation`.
 */
export function createQueryBindings({ client, queryClient }: QueryBindingsOptions): QueryBindings {
  /** ETags of the data objects queries hold; weak, so they go with the data. */
  const etags = new WeakMap<object, string>();
  /** The cursor of the page after each fetched page. */
  const nextCursors = new WeakMap<object, string>();
  /** One Idempotency-Key per `mutate()` call, reused when TanStack retries it. */
  const idempotencyKeys = new WeakMap<object, string>();

  /** The ETag of a cached data object, when it was fetched by these bindings. */
  const etagOf = (data: unknown) => (typeof data === 'object' && data !== null ? etags.get(data) : undefined);

  const remember = (body: unknown, headers: Headers) => {
    const tag = headers.get('etag');
    if (tag && typeof body === 'object' && body !== null) etags.set(body, tag);
  };

  /** A route's query key for an input, or the prefix of all its keys. */
  const routeKey =
    (path: string[], name: string) =>
    (input?: KeyInput): QueryKey =>
      input ? [QUERY_KEY_ROOT, ...path, name, keyInput(input)] : [QUERY_KEY_ROOT, ...path, name];

  function bindRouter(router: AppRouter, calls: Record<string, unknown>, path: string[]): Record<string, unknown> {
    const bound: Record<string, unknown> = { key: () => [QUERY_KEY_ROOT, ...path] };
    for (const [name, entry] of Object.entries(router)) {
      if (!isAppRoute(entry)) {
        bound[name] = bindRouter(entry, calls[name] as Record<string, unknown>, [...path, name]);
        continue;
      }
      if (entry.method === 'GET') {
        bound[name] = bindRead(calls[name] as AnyCall, routeKey(path, name));
        continue;
      }
      // The read of the item a write changes (same path), whose cache holds the ETag to match.
      const itemRead = Object.keys(router).find((other) => {
        const route = router[other];
        return route && isAppRoute(route) && route.method === 'GET' && route.path === entry.path;
      });
      bound[name] = bindWrite(
        entry,
        calls[name] as AnyCall,
        [QUERY_KEY_ROOT, ...path],
        itemRead
          ? {
              key: (input) => routeKey(path, itemRead)({ params: input.params }),
              call: calls[itemRead] as AnyCall,
            }
          : undefined,
      );
    }
    return bound;
  }

  function bindRead(call: AnyCall, key: (input?: KeyInput) => QueryKey) {
    return {
      key,
      queryOptions: (input: KeyInput) =>
        queryOptions({
          queryKey: key(input),
          queryFn: async ({ queryKey, signal }) => {
            const cached = queryClient.getQueryData(queryKey);
            const tag = etagOf(cached);
            const result = await call({
              ...input,
              fetchOptions: { signal },
              extraHeaders: tag ? { 'if-none-match': tag } : {},
            });
            if (result.status === 304 && cached !== undefined) return cached;
            const body = result.unwrap();
            remember(body, result.headers);
            return body;
          },
          // The data object is the one fetched, so its ETag is found again, and a 304 keeps it.
          structuralSharing: false,
          retry: false,
        }),
      infiniteQueryOptions: (input: KeyInput) =>
        infiniteQueryOptions({
          queryKey: [...key(input), 'pages'],
          initialPageParam: null as PageParam,
          queryFn: async ({ pageParam, signal }) => {
            const query = { ...input.query, ...(pageParam ? { cursor: pageParam } : {}) };
            const result = await call({ ...input, query, fetchOptions: { signal } });
            const page = result.unwrap() as unknown[];
            const next = nextLink(result.headers);
            const cursor = next ? new URL(next, 'http://link.invalid').searchParams.get('cursor') : null;
            if (cursor) nextCursors.set(page, cursor);
            return page;
          },
          getNextPageParam: (last: unknown[]) => nextCursors.get(last) ?? null,
          structuralSharing: false,
          retry: false,
        }),
    };
  }

  /** The ETag to send as If-Match: the caller's, or that of the cached item. */
  function ifMatchFor(
    item: ItemRead | undefined,
    input: KeyInput,
    ifMatch: string | false | undefined,
  ): string | undefined {
    if (ifMatch === false || !item) return undefined;
    if (ifMatch !== undefined) return ifMatch;
    const cached = queryClient.getQueryData(item.key(input));
    return etagOf(cached);
  }

  function bindWrite(route: AppRoute, call: AnyCall, resourceKey: QueryKey, item: ItemRead | undefined) {
    return {
      mutationOptions: () =>
        mutationOptions({
          mutationKey: [...resourceKey, route.method],
          mutationFn: async (variables: KeyInput & { body?: unknown; ifMatch?: string | false }) => {
            const { ifMatch, ...input } = variables;
            const headers: Record<string, string> = {};
            if (route.method === 'POST') {
              const idempotencyKey = idempotencyKeys.get(variables) ?? globalThis.crypto.randomUUID();
              idempotencyKeys.set(variables, idempotencyKey);
              headers['idempotency-key'] = idempotencyKey;
            }
            const tag = route.method === 'POST' ? undefined : ifMatchFor(item, input, ifMatch);
            if (tag) headers['if-match'] = tag;
            const result = await call({ ...input, extraHeaders: headers });
            try {
              const body = result.unwrap();
              remember(body, result.headers);
              return body;
            } catch (failure) {
              if (!(failure instanceof HttpError) || failure.status !== 412 || !item) throw failure;
              const now = await item.call({ params: input.params }).catch(() => undefined);
              throw new PreconditionFailedError(
                failure,
                now?.status === 200 ? now.body : undefined,
                now?.headers.get('etag') ?? undefined,
              );
            }
          },
          onSuccess: async (body: unknown, variables: KeyInput) => {
            const itemKey = item?.key(variables);
            if (itemKey && route.method === 'DELETE') queryClient.removeQueries({ queryKey: itemKey, exact: true });
            if (itemKey && route.method !== 'DELETE') queryClient.setQueryData(itemKey, body);
            // Everything else of the resource (its lists) revalidates: a 304 where nothing changed.
            const itemHash = JSON.stringify(itemKey);
            await queryClient.invalidateQueries({
              queryKey: resourceKey,
              predicate: (query) => JSON.stringify(query.queryKey) !== itemHash,
            });
          },
          retry: false,
        }),
    };
  }

  /**
   * Applies one change of `resource` to the cache: the item's query gets the item (with its ETag,
   * so a write from this tab still sends a valid If-Match) or is removed; cached pages that hold
   * the item get it in place (or lose it); a creation, and a reset, make the resource's lists
   * revalidate, since only the server knows where a new item sorts.
   */
  function applyChange(resource: keyof Feeds, itemKey: (id: number) => QueryKey, change: FeedMessage<unknown>): void {
    const resourceKey = [QUERY_KEY_ROOT, resource];
    if (change.kind === 'reset') {
      void queryClient.invalidateQueries({ queryKey: resourceKey });
      return;
    }
    const { id, item, etag } = change;
    if (item !== null && typeof item === 'object' && etag) etags.set(item, etag);
    if (item === null) queryClient.removeQueries({ queryKey: itemKey(id), exact: true });
    else queryClient.setQueryData(itemKey(id), item);
    const replace = (page: unknown) =>
      Array.isArray(page)
        ? page.flatMap((entry: { id?: unknown }) => (entry?.id === id ? (item === null ? [] : [item]) : [entry]))
        : page;
    queryClient.setQueriesData({ queryKey: resourceKey }, (data: unknown) => {
      if (Array.isArray(data)) return replace(data);
      if (data && typeof data === 'object' && 'pages' in data && Array.isArray(data.pages)) {
        return { ...data, pages: data.pages.map(replace) };
      }
      return data;
    });
    if (change.kind === 'created') {
      void queryClient.invalidateQueries({
        queryKey: resourceKey,
        predicate: (query) => Array.isArray(query.state.data) || isPaged(query.state.data),
      });
    }
  }

  const bound = bindRouter(contract, client as unknown as Record<string, unknown>, []);
  bound.etagOf = etagOf;
  for (const resource of Object.keys(feeds) as Array<keyof Feeds>) {
    const get = (contract[resource] as AppRouter).get;
    // The item's own path parameter (`id`, `eventId`, `guestId`), beside the feed's (a guest's event).
    const idParam = get && isAppRoute(get) ? (/:(\w+)$/.exec(get.path)?.[1] ?? 'id') : 'id';
    (bound[resource] as Record<string, unknown>).follow = (
      options: FollowOptions<Feeds[typeof resource]> & {
        onChange?: (change: FeedMessage<unknown>) => void;
        onError?: (error: unknown) => void;
      } = {},
    ) => {
      const abort = new AbortController();
      const params = (options as { params?: Record<string, unknown> }).params ?? {};
      const itemKey = (id: number) => routeKey([resource], 'get')({ params: { ...params, [idParam]: id } });
      const changes = client[resource].changes({ ...options, signal: abort.signal } as never) as AsyncIterable<
        FeedMessage<unknown>
      >;
      void (async () => {
        try {
          for await (const change of changes) {
            applyChange(resource, itemKey, change);
            options.onChange?.(change);
          }
        } catch (error) {
          if (!abort.signal.aborted) options.onError?.(error);
        }
      })();
      return () => abort.abort();
    };
  }
  return bound as unknown as QueryBindings;
}

const isPaged = (data: unknown) => typeof data === 'object' && data !== null && 'pages' in data;
