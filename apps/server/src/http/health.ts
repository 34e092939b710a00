import { Router } from 'express';

export interface Readiness {
  /** True while the process accepts work: not draining and the database answers. */
  isReady(): Promise<boolean>;
}

/**
 * `/healthz`: the process is alive (touches nothing, so a slow database never gets it killed).
 * `/readyz`: send traffic here (503 while draining for shutdown or when the database is down).
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res, next) => {
    try {
      const ready = await readiness.isReady();
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
