import {
  allowsBreakingChanges,
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  type ContractRoute,
  type ContractRouter,
  contract,
  contractRoutes,
  type DeprecationNotice,
  deprecationOf,
  readDeprecation,
  startOfDay,
  usageRoute,
} from '@lockstep/contract';

/**
 * What a client learns about the contract while it talks to a server, told through hooks and
 * never thrown: a call is not wrong because its route is on its way out, or because the server
 * moved on. Each is told once per client (per route, per server version), and the default hook
 * writes one `console.warn`.
 */

/** A route the server answered as deprecated (`Deprecation`, `Sunset`, `Link` headers). */
export interface DeprecatedRoute extends DeprecationNotice {
  /** Method and path template: `GET /todos/:id`. */
  route: string;
  /** The route's key in the contract: `todos.get`. */
  operation: string;
}

/**
 * The server implements a contract with breaking changes over the one this client was built
 * from (a newer major; a newer minor while at 0.x): a long-lived page should reload.
 */
export interface VersionSkew {
  client: string;
  server: string;
}

export interface ContractNoticeOptions {
  /** Told once per route the server says is deprecated. Default: one `console.warn` per route. */
  onDeprecated?: (notice: DeprecatedRoute) => void;
  /** Told once per server version that breaks this client's contract. Default: one `console.warn`. */
  onVersionSkew?: (skew: VersionSkew) => void;
}

/** Every header a client sends: the version of the contract it was built from, for the server's usage ledger. */
export const CONTRACT_VERSION_HEADERS: Readonly<Record<string, string>> = {
  [CONTRACT_VERSION_HEADER]: CONTRACT_VERSION,
};

const warnDeprecated = (notice: DeprecatedRoute) =>
  console.warn(
    `lockstep: ${notice.route} (${notice.operation}) is deprecated${notice.sunset ? `; it may stop answering from ${notice.sunset.toISOString().slice(0, 10)}` : ''}${notice.link ? ` (${notice.link})` : ''}.`,
  );
const warnSkew = (skew: VersionSkew) =>
  console.warn(
    `lockstep: the server implements contract ${skew.server}, which breaks this client's ${skew.client}; update the client (reload the page).`,
  );

/** Calls a hook, keeping whatever it throws away from the request that told it. */
function tell<T>(hook: (value: T) => void, value: T): void {
  try {
    hook(value);
  } catch {
    // A hook's failure is its own; the call it rode on succeeds or fails on its merits.
  }
}

/**
 * The notices of one client: each told once. `router` is the contract the client was built from
 * (a test's fixture may stand in for it).
 */
export function contractNotices(options: ContractNoticeOptions, router: ContractRouter = contract) {
  const routes = contractRoutes(router);
  const operationOf = new Map(routes.map(({ key, route }) => [route, key.join('.')]));
  const routeOfOperation = new Map(routes.map(({ key, route }) => [key.join('.'), route]));
  const onDeprecated = options.onDeprecated ?? warnDeprecated;
  const onVersionSkew = options.onVersionSkew ?? warnSkew;
  const toldRoutes = new Set<string>();
  const toldVersions = new Set<string>();

  const deprecated = (route: ContractRoute, notice: DeprecationNotice) => {
    const name = usageRoute(route.method, route.path);
    if (toldRoutes.has(name)) return;
    toldRoutes.add(name);
    tell(onDeprecated, { ...notice, route: name, operation: operationOf.get(route) ?? name });
  };

  /** The server's version, from any answer of it. */
  function sawServer(headers: Headers): void {
    const server = headers.get(CONTRACT_VERSION_HEADER);
    if (!server || toldVersions.has(server)) return;
    toldVersions.add(server);
    if (/^\d+\.\d+\.\d+/.test(server) && allowsBreakingChanges(CONTRACT_VERSION, server))
      tell(onVersionSkew, { client: CONTRACT_VERSION, server });
  }

  return {
    sawServer,
    /** A REST answer of `route`: its deprecation headers, and the server's version. */
    sawAnswer(route: ContractRoute, headers: Headers): void {
      sawServer(headers);
      const notice = readDeprecation(headers);
      if (notice) deprecated(route, notice);
    },
    /**
     * A tRPC call of `path` (`todos.get`). A batch answers several calls at once, so which of
     * them its headers speak for is unknown: the deprecation comes from the contract this client
     * was built from.
     */
    sawProcedure(path: string): void {
      const route = routeOfOperation.get(path);
      const declared = route && deprecationOf(route);
      if (!route || !declared) return;
      const sunset = startOfDay(declared.sunset);
      deprecated(route, { deprecation: startOfDay(declared.since) ?? new Date(0), sunset, link: declared.link });
    },
  };
}

export type ContractNotices = ReturnType<typeof contractNotices>;
