import { type AppRoute, type AppRouter, isAppRoute } from '@ts-rest/core';

/** A route of the contract and where it sits in it, e.g. `['events', 'update']`. */
export interface LocatedRoute {
  key: string[];
  route: AppRoute;
}

/** Every route of a (nested) contract router, with its key path. */
export function contractRoutes(router: AppRouter, prefix: string[] = []): LocatedRoute[] {
  return Object.entries(router).flatMap(([name, entry]) =>
    isAppRoute(entry) ? [{ key: [...prefix, name], route: entry }] : contractRoutes(entry, [...prefix, name]),
  );
}
