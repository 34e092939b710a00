import type { IncomingMessage } from 'node:http';
import { CONTRACT_USAGE_PATH, CONTRACT_VERSION_HEADER, consumerOf, UsageQuerySchema } from '@lockstep/contract';
import type { Router } from 'express';
import { authorize } from '../auth/access.js';
import { invalidInput } from '../core/field-errors.js';
import type { UsageLedger } from '../usage/usage-ledger.js';
import { contextOf } from './request-context.js';

/** Counts one request on a contract route (`GET /todos/:id`) for the consumer its `X-Contract-Version` names. */
export type CountUse = (req: IncomingMessage, route: string) => void;

/** The ledger's counter, as every front door calls it. */
export function useCounter(ledger: UsageLedger): CountUse {
  return function countUse(req, route) {
    const header = req.headers[CONTRACT_VERSION_HEADER];
    ledger.record(consumerOf(typeof header === 'string' ? header : undefined), route);
  };
}

/** `?since=`: `30d` (from the UTC day 30 days ago), a day, or an instant (its UTC day). */
function sinceDay(since: string | undefined, now = Date.now()): string | undefined {
  if (since === undefined) return undefined;
  const days = /^(\d+)d$/.exec(since);
  const instant = days
    ? now - Number(days[1]) * 86_400_000
    : Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since);
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * `GET /contract/usage` (an `admin` key): the ledger per consumer version, each route with its
 * count and last use, from `since` on. Not a route of the contract: it is about the contract,
 * read by operators and `pnpm contract:check --usage-from`; its shape is the contract package's
 * `ContractUsageSchema` all the same.
 */
export function mountUsageRoutes(app: Router, ledger: UsageLedger): void {
  app.get(CONTRACT_USAGE_PATH, async function contractUsage(req, res, next) {
    try {
      authorize(contextOf(req).credentials, 'admin');
      const query = UsageQuerySchema.safeParse(req.query);
      if (!query.success) throw invalidInput('query', query.error.issues);
      res.setHeader('Cache-Control', 'private, no-store');
      res.json(await ledger.report(sinceDay(query.data.since)));
    } catch (error) {
      next(error);
    }
  });
}
