import { createClient } from '@lockstep/client';
import { createQueryBindings, type QueryBindings } from '@lockstep/client/react-query';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';

const ApiContext = createContext<QueryBindings | undefined>(undefined);

/**
 * The contract's bindings over a client on this page's own origin, sending this key. Each call
 * starts a trace (`traceparent`), so a request seen in the browser's network panel leads to its
 * server spans and log lines by trace id.
 */
export const bindingsFor = (apiKey: string, queryClient: QueryClient): QueryBindings =>
  createQueryBindings({
    client: createClient({ baseUrl: window.location.origin, token: apiKey, traceContext: 'start' }),
    queryClient,
  });

/**
 * The app's one way to the API: the contract's TanStack Query bindings, over a client on this
 * page's own origin (the API serves the app at /app/; in development Vite passes calls on).
 */
export function ApiProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const api = useMemo(() => bindingsFor(apiKey, queryClient), [apiKey, queryClient]);
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): QueryBindings {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an ApiProvider above it');
  return api;
}
