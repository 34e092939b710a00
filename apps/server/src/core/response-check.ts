import type { ContractRoute } from '@lockstep/contract';
import type { z } from 'zod';
import type { BoundRoute } from './operation.js';

/** A sampled answer whose body the contract does not allow for its route and status. */
export interface ContractViolation {
  method: string;
  /** `/todos/:id`: the route's template, as every log line, span and metric names it. */
  route: string;
  status: number;
  /** Where and how the body differs: paths and zod's messages, never the values. */
  issues: string[];
}

export interface ResponseCheckOptions {
  /** The share of outcomes checked, 0 to 1 (RESPONSE_VALIDATION_SAMPLE). */
  sample: number;
  /** Told of every violation; the outcome is returned unchanged all the same. */
  onViolation(violation: ContractViolation): void;
  /** Where sampling draws from; tests pass their own. */
  random?: () => number;
}

/** At most this many issues are kept per violation: enough to find the mapper, not a dump. */
const ISSUES_KEPT = 5;

const schemaFor = (route: ContractRoute, status: number): z.ZodType | undefined => {
  const schema = (route.responses as Record<number, unknown>)[status];
  return schema && typeof (schema as z.ZodType).safeParse === 'function' ? (schema as z.ZodType) : undefined;
};

/**
 * The routes with each operation's outcome checked, for a share of calls, against the schema the
 * contract declares for its status: the one place REST and tRPC answers both pass, so a row
 * mapper that drifts from its schema is caught whichever door it is called through. Checking
 * only observes: a mismatch is reported and the outcome goes out as it was. With a sample of 0
 * the routes are returned as they are, at no cost.
 */
export function checkingOutcomes(routes: BoundRoute[], options: ResponseCheckOptions): BoundRoute[] {
  const { sample, onViolation, random = Math.random } = options;
  if (sample <= 0) return routes;
  return routes.map((bound) => {
    const { operation, route } = bound;
    const at = { method: route.method, route: route.path };
    return {
      ...bound,
      operation: async (input, db) => {
        const outcome = await operation(input, db);
        if (sample >= 1 || random() < sample) {
          if (!(outcome.status in route.responses)) {
            onViolation({ ...at, status: outcome.status, issues: ['the contract declares no such status here'] });
            return outcome;
          }
          const result = schemaFor(route, outcome.status)?.safeParse(outcome.body);
          if (result && !result.success) {
            const issues = result.error.issues
              .slice(0, ISSUES_KEPT)
              .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
            onViolation({ ...at, status: outcome.status, issues });
          }
        }
        return outcome;
      },
    };
  });
}
