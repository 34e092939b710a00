import { z } from 'zod';
import { DateTimeSchema } from './common.js';

/**
 * The usage ledger: every request a server answers on a contract route is counted per consumer
 * (the contract version the caller was built from, sent as `X-Contract-Version`), route and UTC
 * day. `GET /contract/usage` (an admin key) answers it; `pnpm contract:check --usage-from` reads
 * it to tell a removal nobody uses from one that breaks somebody.
 */

/** Where the ledger is read. An operator's endpoint about the contract, not a route of it. */
export const CONTRACT_USAGE_PATH = '/contract/usage';

/** The consumer of a request that named no contract version, or one that is not a version. */
export const UNKNOWN_CONSUMER = 'unknown';

/**
 * What `lockstep verify` sends as its version: `0.2.0-verify`. A conformance run calls every
 * route; the ledger shows it as its own consumer, and the deploy gate does not count it.
 */
export const conformanceConsumer = (version: string): string => `${version}-verify`;
export const isConformanceRun = (consumer: string): boolean => consumer.endsWith('-verify');

/** A contract version as consumers send it: `MAJOR.MINOR.PATCH`, with an optional pre-release. */
const CONSUMER_VERSION = /^\d{1,6}\.\d{1,6}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,40})?$/;

/**
 * The consumer a request's `X-Contract-Version` names: the version when it is one, else
 * `unknown`, so a caller cannot fill the ledger with made-up names.
 */
export const consumerOf = (header: string | undefined | null): string =>
  header && CONSUMER_VERSION.test(header) ? header : UNKNOWN_CONSUMER;

/**
 * How the ledger names a route: method and path template in the contract's own form,
 * `GET /todos/:id`, the form of the server's spans and metrics too.
 */
export const usageRoute = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

/** `/todos/{id}` (an OpenAPI path) → `/todos/:id` (the contract's). */
export const contractPathOf = (openApiPath: string): string => openApiPath.replace(/\{([^}/]+)\}/g, ':$1');

/** `?since=`: an instant, or a number of days back (`30d`). Defaults to the whole ledger. */
export const UsageQuerySchema = z
  .object({
    since: z
      .union([DateTimeSchema, z.iso.date(), z.string().regex(/^\d{1,4}d$/, 'a number of days, e.g. 30d')])
      .optional(),
  })
  .strict();

export const RouteUsageSchema = z.object({
  route: z.string().describe('Method and path template: `GET /todos/:id`.'),
  count: z.number().int().nonnegative(),
  lastSeen: DateTimeSchema,
});

export const ConsumerUsageSchema = z.object({
  version: z.string().describe('The contract version the consumer was built from, or `unknown`.'),
  count: z.number().int().nonnegative(),
  lastSeen: DateTimeSchema,
  routes: z.array(RouteUsageSchema),
});

/** What `GET /contract/usage` answers: per consumer version, each route it called since `since`. */
export const ContractUsageSchema = z.object({
  /** The contract version the answering server implements. */
  serverVersion: z.string(),
  /** The first day counted (UTC), inclusive: `since` as a day, or the oldest day kept. */
  since: z.iso.date(),
  /** Days are kept this long (`USAGE_RETENTION_DAYS`). */
  retentionDays: z.number().int().positive(),
  consumers: z.array(ConsumerUsageSchema),
});

export type UsageQuery = z.infer<typeof UsageQuerySchema>;
export type RouteUsage = z.infer<typeof RouteUsageSchema>;
export type ConsumerUsage = z.infer<typeof ConsumerUsageSchema>;
export type ContractUsage = z.infer<typeof ContractUsageSchema>;
