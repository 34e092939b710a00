import { type LockstepTrpcRouter, TRPC_PATH } from '@lockstep/contract';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { resolveToken, type TransportOptions } from './transport.js';

export interface TrpcClientOptions {
  baseUrl: string;
  /** API key, or a function returning one (called for every request). */
  token?: TransportOptions['token'];
  /** Extra headers for every request (If-Match, say, for a single-call client). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * A typed tRPC client for the server's `/trpc` endpoint: the same routes as REST, called as
 * `trpc.todos.get.query({ params: { id: 1 } })` or `trpc.todos.create.mutate({ body })`.
 */
export function createTrpcClient(options: TrpcClientOptions) {
  return createTRPCClient<LockstepTrpcRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/+$/, '')}${TRPC_PATH}`,
        fetch: options.fetch,
        async headers() {
          const token = await resolveToken(options.token);
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
}

export type LockstepTrpcClient = ReturnType<typeof createTrpcClient>;
export { TRPCClientError } from '@trpc/client';
