/** The zod schemas a contract route declares, as the mock and \`lockstep verify\` read them. */
import type { ContractRoute } from '@lockstep/contract';
import { z } from 'zod';

/** A route's request body schema; none for a route without a body (GET, DELETE). */
export const bodySchemaOf = (route: ContractRoute): z.ZodType | undefined =>
  'body' in route && route.body instanceof z.ZodType ? route.body : undefined;

/** A route's success status and the schema of its body. */
export function successOf(route: ContractRoute): [number, z.ZodType] {
  const found = Object.entries(route.responses as Record<string, unknown>).find(([status]) => Number(status) < 300);
  if (!found || !(found[1] instanceof z.ZodType))
    throw new Error(`${route.method} ${route.path} declares no success body`);
  return [Number(found[0]), found[1]];
}
