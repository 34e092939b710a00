import { type LockstepTrpcRouter, TRPC_PATH } from '@lockstep/contract';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { CONTRACT_VERSION_HEADERS, type ContractNoticeOptions, contractNotices } from './contract-notices.js';
import { type TraceContextMode, traceHeaders } from './trace-context.js';
import { resolveToken, type TransportOptions } from './transport.js';

export interface TrpcClientOptions extends ContractNoticeOptions {
  baseUrl: string;
  /** API key, or a function returning one (called for every request). */
  token?: TransportOptions['token'];
  /** Extra headers for every request (If-Match, say, for a single-call client). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** The W3C Trace Context each request carries (see `TraceContextMode`); `'propagate'` by default. */
  traceContext?: TraceContextMode;
}

/**
 * What one call may carry beside its input, as tRPC's per-call `context`: the Idempotency-Key of
 * a mutation that creates (`trpc.todos.create.mutate({ body }, { context: { idempotencyKey } })`),
 * which the server honours as it does a REST POST's, on the same records.
 */
export interface TrpcCallContext {
  idempotencyKey?: string;
}

const idempotencyKeyOf = (context: Record<string, unknown>): string | undefined =>
  typeof context.idempotencyKey === 'string' ? context.idempotencyKey : undefined;

/**
 * A typed tRPC client for the server's `/trpc` endpoint: the same routes as REST, called as
 * `trpc.todos.get.query({ params: { id: 1 } })` or `trpc.todos.create.mutate({ body })`. Calls are
 * batched, except a mutation with an Idempotency-Key: the key is a header of its request, so that
 * call is sent alone. Feeds are subscriptions over SSE (`trpc.todos.changes.subscribe(input,
 * { onData })`), read with the `eventsource` package, which runs on `fetch` in browsers and Node
 * alike and, unlike a browser's EventSource, can send the API key as a header.
 */
export function createTrpcClient(options: TrpcClientOptions) {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${TRPC_PATH}`;
  const headers = async () => {
    const token = await resolveToken(options.token);
    return {
      ...CONTRACT_VERSION_HEADERS,
      ...traceHeaders(options.traceContext),
      ...options.headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
  };
  const baseFetch = options.fetch ?? globalThis.fetch;
  const notices = contractNotices(options);
  // Every answer names the server's contract version: a newer major is told to onVersionSkew.
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    notices.sawServer(response.headers);
    return response;
  };
  return createTRPCClient<LockstepTrpcRouter>({
    links: [
      // Each call of a route the contract deprecates is told to onDeprecated (once per route).
      () =>
        ({ op, next }) => {
          notices.sawProcedure(op.path);
          return next(op);
        },
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: async () => {
            const extra = await headers();
            return {
              fetch: (input: string | URL | Request, init?: RequestInit) =>
                fetchImpl(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...extra } }),
            };
          },
        }),
        false: splitLink({
          condition: (op) => idempotencyKeyOf(op.context) !== undefined,
          true: httpLink({
            url,
            fetch: fetchImpl,
            headers: async ({ op }) => ({
              ...(await headers()),
              'idempotency-key': idempotencyKeyOf(op.context) ?? '',
            }),
          }),
          false: httpBatchLink({ url, fetch: fetchImpl, headers }),
        }),
      }),
    ],
  });
}

export type LockstepTrpcClient = ReturnType<typeof createTrpcClient>;
export { TRPCClientError } from '@trpc/client';
