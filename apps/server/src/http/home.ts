import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { contract, contractRoutes } from '@lockstep/contract';
import type { Router } from 'express';
import { DOCS_PATH } from './docs.js';
import { staticText } from './static-text.js';
import { WEB_APP_PATH } from './web-app.js';

const require = createRequire(import.meta.url);

/** The OpenAPI document the contract package ships: the one artefact, served as it was committed. */
const openApiText = () => readFileSync(require.resolve('@lockstep/contract/openapi.json'), 'utf8');

/** Every collection the API has, from the contract: what the home page links to. */
const collections = [
  ...new Set(
    contractRoutes(contract)
      .filter(({ route }) => route.method === 'GET' && !route.path.includes(':'))
      .map(({ route }) => route.path),
  ),
];

const homePage = (webApp: boolean) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>lockstep</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <h1>lockstep</h1>
    <p>A REST API defined by one contract. Read the <a href="/docs">API reference</a>, or take its
      <a href="/openapi.json">OpenAPI 3.1 document</a>.</p>${
        webApp
          ? `\n    <p>Try it in the <a href="${WEB_APP_PATH}">reference front end</a> (events, guests and todos).</p>`
          : ''
      }
    <h2>Resources</h2>
    <ul>
${collections.map((path) => `      <li><a href="${path}">${path}</a></li>`).join('\n')}
    </ul>
  </body>
</html>
`;

/**
 * `/openapi.json`, and the home page at `/`: HTML for a browser, the same links as JSON for a
 * JSON client (as JSONPlaceholder's home page points to its resources, and to the docs). Added
 * to the app itself rather than as a sub-router, which every request would enter.
 */
export function mountHomeRoutes(router: Router, { webApp }: { webApp: boolean }): void {
  const page = homePage(webApp);
  const links = {
    docs: DOCS_PATH,
    openapi: '/openapi.json',
    ...(webApp ? { app: WEB_APP_PATH } : {}),
    resources: collections,
  };
  router.get('/openapi.json', staticText('json', openApiText));
  router.get('/', (req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.vary('Accept');
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(page);
      return;
    }
    res.json(links);
  });
}
