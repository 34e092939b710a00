import type { Router } from 'express';

/** What /readyz reports: whether to send traffic here, and the state of what that depends on. */
export interface ReadinessReport {
  /** Not draining, and the database answers. */
  ready: boolean;
  /** Each dependency's state, e.g. `{ database: 'ok', rateLimits: 'redis' }`, for operators. */
  checks: Record<string, string>;
}

export interface Readiness {
  report(): Promise<ReadinessReport>;
}

/**
 * `/healthz`: the process is alive (touches nothing, so a slow database never gets it killed).
 * `/readyz`: send traffic here (503 while draining for shutdown or when the database is down).
 * Its body says what each dependency is doing; a degraded one that does not stop this instance
 * from serving correctly (rate limits counted in memory while Redis is away) shows there
 * without failing the check.
 *
 * Added to the app itself rather than as a sub-router, which every request would enter.
 */
export function mountHealthRoutes(router: Router, readiness: Readiness): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res, next) => {
    try {
      const { ready, checks } = await readiness.report();
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
    } catch (error) {
      next(error);
    }
  });
}
