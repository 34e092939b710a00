import { contract, TRPC_PATH } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { accessChecker } from './auth/access.js';
import type { AuthService } from './auth/api-keys.js';
import type { ChangeHub } from './changes/change-hub.js';
import { entityTag } from './core/entity-tag.js';
import type { BoundRoute } from './core/operation.js';
import { useOriginConditionalGet } from './http/conditional-get.js';
import { corsPolicy } from './http/cors.js';
import { DOCS_PATH, docsRoutes } from './http/docs.js';
import type { FeedStreams } from './http/feed-streams.js';
import { mountFeedRoutes } from './http/feeds.js';
import { mountHealthRoutes, type Readiness } from './http/health.js';
import { mountHomeRoutes } from './http/home.js';
import { authenticate } from './http/middleware/authenticate.js';
import { errorHandler } from './http/middleware/error-handler.js';
import { routeFallback } from './http/middleware/fallback.js';
import { jsonBody } from './http/middleware/json-body.js';
import { requestLog } from './http/middleware/request-log.js';
import { requestContext } from './http/request-context.js';
import { mountRestRoutes } from './http/rest.js';
import { trpcMiddleware } from './http/trpc.js';
import { mountUsageRoutes, useCounter } from './http/usage.js';
import { isWebAppBuilt, WEB_APP_MOUNT, webAppRoutes } from './http/web-app.js';
import type { IdempotencyService } from './idempotency/idempotency-keys.js';
import type { Logger } from './logger.js';
import type { RateLimits } from './rate-limits/rate-limits.js';
import { type HttpTelemetryOptions, httpTelemetry } from './telemetry/http-telemetry.js';
import { type QuerySpans, requestData } from './telemetry/query-spans.js';
import type { UsageLedger } from './usage/usage-ledger.js';

export interface AppDependencies {
  /** Every contract route with its operation (`bindOperations`), outcomes checked as configured. */
  routes: BoundRoute[];
  /** Where operations run (an idempotent request's own transaction aside). */
  db: Database;
  auth: AuthService;
  idempotency: IdempotencyService;
  logger: Logger;
  /** What telemetry records: spans when tracing is on, the HTTP metrics when a reader collects; nothing when both are off. */
  telemetry: HttpTelemetryOptions;
  /** Each query of a traced request as a child span of it; undefined while tracing is off. */
  querySpans: QuerySpans | undefined;
  /** Production mode: writes to public resources need a `write` key. */
  production: boolean;
  readiness: Readiness;
  /** True while shutdown wants clients gone: responses then ask them to close their connection. */
  closingConnections(): boolean;
  /** The front end's production build, served at `/app/`. */
  webAppDir: string;
  /** Origins allowed to call the API from a browser. */
  corsOrigins: readonly string[];
  /** Quotas per address, per key, and of failed authentications. */
  rateLimits: RateLimits;
  /** Express's `trust proxy`: whose `X-Forwarded-For` names the client. */
  trustProxy: boolean | number | string;
  /** The change log's fan-out to this instance's feed subscribers. */
  changes: ChangeHub;
  /** The open feed streams: their limits, heartbeat and shutdown. */
  feedStreams: FeedStreams;
  /** How often a feed's stream says it is alive (tRPC's subscriptions ping at this period). */
  feedHeartbeatMs: number;
  /** Where every contract route's requests are counted per consumer; none when the ledger is off. */
  usage: UsageLedger | undefined;
}

/** The Express application: middleware, health checks, contract routes, then fallbacks. */
export function createApp(dependencies: AppDependencies): Express {
  const { routes, db, auth, idempotency, logger, production, readiness, closingConnections, telemetry } = dependencies;
  const app = express();
  // Strong ETags on every response, from the one entity-tag function If-Match is checked with,
  // and the 304 that follows from them on GET.
  app.set('etag', (body: string | Buffer) => entityTag(body));
  useOriginConditionalGet(app);
  // Plain key=value query strings: nested `a[b]=c` syntax is not part of this API.
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // `req.ip` is the peer unless TRUST_PROXY names the proxies in front (then X-Forwarded-For).
  app.set('trust proxy', dependencies.trustProxy);

  app.use(requestContext());
  // Before anything else that works on a request: its span is in its context for everything
  // after (log lines, queries, procedures), and its duration counts their time.
  if (telemetry.traces || telemetry.metrics) app.use(httpTelemetry(telemetry));
  app.use(requestLog(logger));
  // Where each request's queries run: under its span when it is traced.
  const dataOf = requestData(db, dependencies.querySpans);
  app.use(helmet());
  const cors = corsPolicy(dependencies.corsOrigins);
  if (cors) app.use(cors);
  app.use(function closeWhileShuttingDown(_req, res, next) {
    if (closingConnections()) res.setHeader('Connection', 'close');
    next();
  });
  // Routes on the app itself, and routers mounted on their prefixes: an API request passes a
  // few path checks here rather than entering each router and walking its routes.
  mountHealthRoutes(app, readiness);
  const webApp = isWebAppBuilt(dependencies.webAppDir);
  mountHomeRoutes(app, { webApp });
  app.use(DOCS_PATH, docsRoutes());
  app.use(WEB_APP_MOUNT, webAppRoutes(dependencies.webAppDir, webApp));
  // Every API route below: the caller's key looked up once, and their quota charged.
  app.use(authenticate(auth, dependencies.rateLimits, dataOf));
  app.use(jsonBody());
  const checkAccess = accessChecker({ production });
  const countUse = dependencies.usage ? useCounter(dependencies.usage) : undefined;
  if (dependencies.usage) mountUsageRoutes(app, dependencies.usage);
  mountFeedRoutes(app, { hub: dependencies.changes, streams: dependencies.feedStreams, dataOf, checkAccess, countUse });
  // tRPC first: its one path prefix is found at once, where it would otherwise be tried after
  // every REST route.
  app.use(
    TRPC_PATH,
    trpcMiddleware({
      routes,
      traced: telemetry.traces,
      dataOf,
      checkAccess,
      idempotency,
      logger,
      hub: dependencies.changes,
      streams: dependencies.feedStreams,
      heartbeatMs: dependencies.feedHeartbeatMs,
      countUse,
    }),
  );
  mountRestRoutes(app, { routes, dataOf, checkAccess, idempotency, countUse });
  app.use(routeFallback(contract));
  app.use(errorHandler(logger, idempotency, dataOf));
  return app;
}
