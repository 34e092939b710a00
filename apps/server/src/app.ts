import { contract, TRPC_PATH } from '@lockstep/contract';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { useOriginConditionalGet } from './http/conditional-get.js';
import { healthRoutes, type Readiness } from './http/health.js';
import { errorHandler } from './http/middleware/errors.js';
import { routeFallback } from './http/middleware/fallback.js';
import { jsonBody } from './http/middleware/json-body.js';
import { requestContext } from './http/middleware/request-context.js';
import { mountRestRoutes } from './http/rest.js';
import { trpcMiddleware } from './http/trpc.js';
import type { Logger } from './logger.js';
import type { Services } from './services/index.js';

export interface AppDependencies {
  services: Services;
  logger: Logger;
  /** Production mode: writes to public resources need a `write` key. */
  production: boolean;
  readiness: Readiness;
  /** Set once shutdown starts: responses then ask clients to close keep-alive connections. */
  isDraining(): boolean;
}

/** The Express application: middleware, health checks, contract routes, then fallbacks. */
export function createApp({ services, logger, production, readiness, isDraining }: AppDependencies): Express {
  const app = express();
  // Strong ETags (a hash of the body) and the 304 that follows from them, on every GET.
  app.set('etag', 'strong');
  useOriginConditionalGet(app);
  // Plain key=value query strings: nested `a[b]=c` syntax is not part of this API.
  app.set('query parser', 'simple');
  app.disable('x-powered-by');

  app.use(requestContext());
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => String(res.getHeader('x-request-id')),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      // One short line per request: headers (and any credentials in them) stay out of the logs.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet());
  app.use((_req, res, next) => {
    if (isDraining()) res.setHeader('Connection', 'close');
    next();
  });
  app.use(healthRoutes(readiness));
  app.use(jsonBody());
  mountRestRoutes(app, { services, logger, production });
  app.use(TRPC_PATH, trpcMiddleware({ services, logger, production }));
  app.use(routeFallback(contract));
  app.use(errorHandler(logger));
  return app;
}
