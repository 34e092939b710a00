import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { staticText } from './static-text.js';

const require = createRequire(import.meta.url);

/** Where the API reference is served. */
export const DOCS_PATH = '/docs';

/** Redoc's prebuilt standalone bundle, served from node_modules: the docs page needs no CDN. */
const redocBundles = dirname(require.resolve('redoc'));

/**
 * The one thing in Redoc's bundle that reaches another origin: the sidebar's "API docs by
 * Redocly" link shows a logo from its CDN, unconditionally. It is pointed at an empty inline
 * SVG instead, so the page makes no request elsewhere (the docs test fails if this stops
 * matching, say after an upgrade).
 */
const REDOCLY_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const redocScript = () =>
  readFileSync(join(redocBundles, 'redoc.standalone.js'), 'utf8').replaceAll(
    REDOCLY_LOGO,
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
  );

/**
 * The docs page may load its scripts, styles and the OpenAPI document from this origin and
 * nothing else. Redoc styles its components at run time (styled-components), hence
 * `'unsafe-inline'` for styles only; its search index runs in a worker made from a blob.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>lockstep API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="redoc"></div>
    <script src="${DOCS_PATH}/assets/redoc.standalone.js"></script>
    <script src="${DOCS_PATH}/start.js"></script>
  </body>
</html>
`;

/**
 * Starts Redoc on this server's OpenAPI document. A file, not an inline script, so the page's
 * Content-Security-Policy can refuse every inline script. System fonts: Redoc's defaults name
 * web fonts that pages usually fetch from Google, which this page must not.
 */
const START_SCRIPT = `Redoc.init(
  '/openapi.json',
  {
    theme: {
      typography: {
        fontFamily: 'system-ui, sans-serif',
        headings: { fontFamily: 'system-ui, sans-serif' },
        code: { fontFamily: 'ui-monospace, monospace' },
      },
    },
  },
  document.getElementById('redoc'),
);
`;

const docsPolicy: RequestHandler = function docsContentSecurityPolicy(_req, res, next) {
  res.setHeader('Content-Security-Policy', DOCS_CSP);
  next();
};

/**
 * The interactive API reference (Redoc), rendered from `/openapi.json`, fully offline: a router
 * to mount at `DOCS_PATH`, so that no other request enters it.
 */
export function docsRoutes(): Router {
  const router = Router();
  router.use(docsPolicy);
  router.get('/', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get('/start.js', (_req, res) => {
    res.type('text/javascript').send(START_SCRIPT);
  });
  router.get('/assets/redoc.standalone.js', staticText('text/javascript', redocScript));
  router.use('/assets', express.static(redocBundles, { index: false, fallthrough: false }));
  return router;
}
