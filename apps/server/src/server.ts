import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract } from '@lockstep/contract';
import { engineOf, openMigratedDatabase } from '@lockstep/db';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { createApp } from './app.js';
import { AuthService } from './auth/api-keys.js';
import { ChangeHub } from './changes/change-hub.js';
import { sweepChanges } from './changes/change-log.js';
import { watchCommits } from './changes/commit-signal.js';
import { type Config, ensureDatabaseDirectory } from './config.js';
import { bindOperations } from './core/operation.js';
import { type ContractViolation, checkingOutcomes } from './core/response-check.js';
import { appPrototypes } from './http/app-prototypes.js';
import { answerClientError } from './http/client-error.js';
import { NewConnections, stopListening } from './http/connections.js';
import { FeedStreams } from './http/feed-streams.js';
import { IdempotencyService } from './idempotency/idempotency-keys.js';
import type { Logger } from './logger.js';
import { RateLimits } from './rate-limits/rate-limits.js';
import { createOperations } from './resources/index.js';
import { ServerMetrics } from './telemetry/instruments.js';
import { QuerySpans } from './telemetry/query-spans.js';
import { startTelemetry } from './telemetry/sdk.js';
import { UsageLedger } from './usage/usage-ledger.js';

export interface RunningServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** Every sampled response so far whose body the contract does not allow (none, if all is well). */
  contractViolations: readonly ContractViolation[];
  /**
   * Drains and stops: readiness fails at once and every response asks its client to close the
   * connection; after the drain period the listener closes, in-flight requests finish, the
   * database closes.
   */
  close(): Promise<void>;
}

/**
 * Node's server timeouts, set on purpose rather than inherited: a client gets 15 s to send its
 * headers and 30 s for the whole request (slow-loris protection); idle keep-alive connections
 * close after 5 s, and headersTimeout stays above it, as Node requires.
 */
const TIMEOUTS = { headersTimeout: 15_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 } as const;

/** How often changes past CHANGE_RETENTION are swept. */
const CHANGE_SWEEP_MS = 60_000;

/**
 * How long no connection may arrive before the listener closes at shutdown (see `NewConnections`):
 * long enough for a client sent away just before (its answer said `Connection: close`) to have
 * reconnected on a busy machine, since a connection still in the listen backlog when the listener
 * closes is reset. 20 ms reset a request in two of three runs of `shutdown.test.ts` with both
 * cores busy; 100 ms in none of four. It delays a shutdown by at most that.
 */
const QUIET_MS = 100;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Brings the database up to date (migrations, then the seed on an empty database), then
 * serves HTTP. The returned `close` is what SIGTERM runs.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  ensureDatabaseDirectory(config);
  // Before anything that records: the SDK registers the providers every span and metric goes to.
  const telemetry = await startTelemetry(config.telemetry, config.host);
  const querySpans = telemetry.traces ? new QuerySpans(engineOf(config.databaseUrl)) : undefined;
  // Several instances starting at once on a new PostgreSQL database take turns (advisory lock).
  let opened: Awaited<ReturnType<typeof openMigratedDatabase>>;
  try {
    opened = await openMigratedDatabase({
      url: config.databaseUrl,
      seed: true,
      ...(querySpans ? { onQuery: querySpans.onQuery } : {}),
    });
  } catch (error) {
    await telemetry.shutdown();
    throw error;
  }
  const { db, applied, seed } = opened;
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
  if (seed?.seeded) logger.info({ users: seed.users, todos: seed.todos }, 'seeded an empty database');

  const idempotency = new IdempotencyService(db);
  // Expired idempotency keys are swept at start and hourly; expired ones are ignored meanwhile.
  const sweepIdempotencyKeys = () =>
    idempotency.deleteExpired().catch((error: unknown) => logger.warn({ err: error }, 'sweep failed'));
  await sweepIdempotencyKeys();
  const sweeper = setInterval(sweepIdempotencyKeys, 60 * 60 * 1000);
  sweeper.unref();

  // The change log is swept at start and every minute, in short batches, of changes past retention.
  const sweepChangeLog = () =>
    sweepChanges(db, new Date(Date.now() - config.feeds.retentionMs)).catch((error: unknown) =>
      logger.warn({ err: error }, 'sweeping the change log failed'),
    );
  await sweepChangeLog();
  const changeSweeper = setInterval(sweepChangeLog, CHANGE_SWEEP_MS);
  changeSweeper.unref();
  const changes = new ChangeHub(db, { retentionMs: config.feeds.retentionMs, logger });
  await changes.start();
  const commits = watchCommits(db, config.databaseUrl, () => changes.wake(), logger);
  const feedStreams = new FeedStreams(config.feeds);
  const { retentionDays, flushMs } = config.usage;
  const usage = retentionDays ? new UsageLedger(db, { retentionDays, flushMs, logger }) : undefined;
  usage?.start();

  const rateLimits = new RateLimits({
    settings: config.rateLimits,
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisKeyPrefix,
    logger,
  });
  let draining = false;
  let closingConnections = false;
  const serverMetrics = telemetry.metrics
    ? new ServerMetrics({ feedSubscribers: () => changes.size, poolUse: () => db.poolUse() })
    : undefined;
  const contractViolations: ContractViolation[] = [];
  const reported = new Set<string>();
  const routes = checkingOutcomes(bindOperations(contract, createOperations()), {
    sample: config.responseValidationSample,
    onViolation(violation) {
      contractViolations.push(violation);
      serverMetrics?.contractViolations.add(1, {
        [ATTR_HTTP_REQUEST_METHOD]: violation.method,
        [ATTR_HTTP_ROUTE]: violation.route,
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: violation.status,
      });
      // Once per route and status: a drifting mapper fails every call, and one line says so.
      const key = `${violation.method} ${violation.route} ${violation.status}`;
      if (reported.has(key)) return;
      reported.add(key);
      logger.error({ violation }, 'response does not match the contract (sent unchanged)');
    },
  });
  const app = createApp({
    routes,
    db,
    auth: new AuthService(db),
    idempotency,
    logger,
    telemetry: { traces: telemetry.traces, metrics: serverMetrics },
    querySpans,
    production: config.nodeEnv === 'production',
    readiness: {
      report: async () => {
        const database = await db.isReachable();
        return {
          ready: !draining && database,
          checks: {
            database: database ? 'ok' : 'unreachable',
            rateLimits: rateLimits.store(),
            ...(draining ? { shutdown: 'draining' } : {}),
          },
        };
      },
    },
    closingConnections: () => closingConnections,
    webAppDir: config.webAppDir,
    corsOrigins: config.corsOrigins,
    rateLimits,
    trustProxy: config.trustProxy,
    changes,
    feedStreams,
    feedHeartbeatMs: config.feeds.heartbeatMs,
    usage,
  });
  const server = createServer({ ...TIMEOUTS, ...appPrototypes(app) }, app);
  Object.assign(server, TIMEOUTS);
  const newConnections = new NewConnections(server);
  // Beyond this many open connections new ones are refused at once, before they cost anything.
  server.maxConnections = config.maxConnections;
  server.on('clientError', answerClientError(logger));
  let address: AddressInfo;
  try {
    address = await listen(server, config.port, config.host);
  } catch (error) {
    clearInterval(changeSweeper);
    await usage?.close().catch(() => undefined);
    await commits.close();
    await Promise.all([db.close(), rateLimits.close(), telemetry.shutdown()]);
    throw error;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // 1. Drain: still serving, but /readyz answers 503 (load balancers stop routing here) and
      //    every response carries `Connection: close`, so each busy client moves to a new
      //    connection (to another instance) after its answer instead of being cut mid-request.
      draining = true;
      clearInterval(sweeper);
      clearInterval(changeSweeper);
      // Feeds end at once, each told when to reconnect: their clients come back elsewhere.
      feedStreams.closeAll();
      await commits.close();
      if (config.shutdownDrainMs > 0) {
        closingConnections = true;
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      }
      // 2. Quiet: answers keep their connections open again, so clients with no balancer in
      //    front, which reconnect here at once, stop arriving; wait until every accepted
      //    connection has had its request read and no new one came for a moment.
      closingConnections = false;
      await newConnections.quiet(QUIET_MS, Math.min(TIMEOUTS.keepAliveTimeout, config.shutdownGraceMs));
      // 3. Stop: the listener closes (new connections are refused: the client knows its request
      //    was never sent) and no open connection is cut. Each answer now says `Connection:
      //    close`, so every busy connection ends after its next answer; a quiet one ends at
      //    keepAliveTimeout, and at the grace deadline every connection does.
      closingConnections = true;
      const stopped = stopListening(server);
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      deadline.unref();
      await stopped;
      clearTimeout(deadline);
      // Ends the HTTP server's own timers (its listener is already closed).
      server.close();
      // The last requests' counts, before the database goes (a failure is logged by the ledger).
      await usage?.close().catch(() => undefined);
      await Promise.all([db.close(), rateLimits.close()]);
      // Last, so the spans and metrics of the final requests are exported.
      await telemetry.shutdown();
    })();
    return closing;
  };

  return { url: `http://${host}:${address.port}`, port: address.port, contractViolations, close };
}
