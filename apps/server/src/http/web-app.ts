import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import express, { Router } from 'express';
import { ApiError } from '../core/api-error.js';

/** Where the reference front end is served: on the API's own origin, so it needs no CORS. */
export const WEB_APP_PATH = '/app/';

/**
 * The app may load scripts, styles and data from this origin only. React sets inline `style`
 * attributes, hence `'unsafe-inline'` for styles alone.
 */
const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** Whether a production build of the front end is in the folder (looked at once, at start). */
export const isWebAppBuilt = (dir: string) => existsSync(join(dir, 'index.html'));

/** `WEB_APP_PATH` without its slash: where the web app's router is mounted. */
export const WEB_APP_MOUNT = WEB_APP_PATH.slice(0, -1);

/**
 * The production build of `apps/web`, a router to mount at `WEB_APP_MOUNT` (so that no other
 * request enters it): hashed assets cached for good, `index.html` revalidated; `/app` itself
 * redirects to `/app/`. Without a build, `/app/` says how to make one rather than answering a
 * bare 404.
 */
export function webAppRoutes(dir: string, built: boolean): Router {
  const router = Router();
  router.get('/', (req, res, next) =>
    req.originalUrl.split('?')[0] === WEB_APP_MOUNT ? res.redirect(301, WEB_APP_PATH) : next(),
  );
  if (!built) {
    router.use((_req, _res, next) =>
      next(
        new ApiError(404, { detail: 'The web app is not built on this server: run pnpm build, then start it again.' }),
      ),
    );
    return router;
  }
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', WEB_APP_CSP);
    next();
  });
  // Vite names what it writes here by content hash: a changed file is a new name.
  const assets = join(dir, 'assets') + sep;
  router.use(
    express.static(dir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders(res, path) {
        res.setHeader('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
