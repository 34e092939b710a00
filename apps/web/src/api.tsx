import { createClient, type VersionSkew } from '@lockstep/client';
import { createQueryBindings, type QueryBindings } from '@lockstep/client/react-query';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

const ApiContext = createContext<QueryBindings | undefined>(undefined);

/**
 * The contract's bindings over a client on this page's own origin, sending this key. Each call
 * starts a trace (`traceparent`), so a request seen in the browser's network panel leads to its
 * server spans and log lines by trace id. A server whose contract breaks this build's is told to
 * `onVersionSkew`.
 */
export const bindingsFor = (
  apiKey: string,
  queryClient: QueryClient,
  onVersionSkew?: (skew: VersionSkew) => void,
): QueryBindings =>
  createQueryBindings({
    client: createClient({ baseUrl: window.location.origin, token: apiKey, traceContext: 'start', onVersionSkew }),
    queryClient,
  });

/**
 * The app's one way to the API: the contract's TanStack Query bindings, over a client on this
 * page's own origin (the API serves the app at /app/; in development Vite passes calls on).
 */
export function ApiProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [skew, setSkew] = useState<VersionSkew>();
  const api = useMemo(() => bindingsFor(apiKey, queryClient, setSkew), [apiKey, queryClient]);
  return (
    <ApiContext.Provider value={api}>
      {skew && <VersionSkewBanner skew={skew} />}
      {children}
    </ApiContext.Provider>
  );
}

/** A tab left open across a deploy that broke its contract: say so, and offer the reload that fixes it. */
function VersionSkewBanner({ skew }: { skew: VersionSkew }) {
  return (
    <div role="alert" className="skew">
      The API was updated (contract {skew.server}; this page was built for {skew.client}). Reload to keep working.
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

export function useApi(): QueryBindings {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an ApiProvider above it');
  return api;
}
