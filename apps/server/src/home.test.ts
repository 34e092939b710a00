import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTRACT_VERSION, contract, contractRoutes, feedList } from '@lockstep/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer, tempDirs } from './testing.js';

const tempDir = tempDirs();
/** A server without a front-end build, and one with a (small, real) build of files. */
let server: TestServer;
let withApp: TestServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { WEB_APP_DIR: await tempDir() });
  const build = await tempDir();
  await mkdir(join(build, 'assets'));
  await writeFile(
    join(build, 'index.html'),
    '<!doctype html><title>app</title><script type="module" src="/app/assets/main-1a2b.js"></script>',
  );
  await writeFile(join(build, 'assets', 'main-1a2b.js'), 'document.title = "lockstep";');
  withApp = await startTestServer(undefined, { WEB_APP_DIR: build });
});
afterAll(async () => {
  await server?.dispose();
  await withApp?.dispose();
});

const collections = [
  ...new Set(
    contractRoutes(contract)
      .filter(({ route }) => route.method === 'GET' && !route.path.includes(':'))
      .map(({ route }) => route.path),
  ),
];

describe('GET /openapi.json', () => {
  it('serves the contract’s OpenAPI 3.1 document, with an ETag that answers 304', async () => {
    const first = await request(server.url, 'GET', '/openapi.json');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const document = first.body as { openapi: string; info: { version: string }; paths: Record<string, object> };
    expect(document.openapi).toBe('3.1.1');
    expect(document.info.version).toBe(CONTRACT_VERSION);
    const paths = new Set(
      [...contractRoutes(contract).map(({ route }) => route.path), ...feedList().map((feed) => feed.path)].map((path) =>
        path.replace(/:(\w+)/g, '{$1}'),
      ),
    );
    expect(new Set(Object.keys(document.paths))).toEqual(paths);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"/);
    const again = await request(server.url, 'GET', '/openapi.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('GET /', () => {
  it('gives a browser a home page linking the docs, the OpenAPI document and every collection', async () => {
    const page = await request(server.url, 'GET', '/', { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    for (const href of ['/docs', '/openapi.json', ...collections]) expect(page.text).toContain(`href="${href}"`);
  });

  it('gives a JSON client (and `requests`, which accepts */*) the same links as JSON', async () => {
    for (const accept of ['application/json', '*/*']) {
      const answer = await request(server.url, 'GET', '/', { headers: { accept } });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ docs: '/docs', openapi: '/openapi.json', resources: collections });
      expect(answer.headers.get('vary')).toMatch(/Accept/);
    }
  });
});

describe('the front end at /app/', () => {
  it('serves the build: index.html revalidated under a strict CSP, hashed assets cached for good', async () => {
    const moved = await request(withApp.url, 'GET', '/app');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/app/');
    const page = await request(withApp.url, 'GET', '/app/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/app/assets/main-1a2b.js');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/);
    const asset = await request(withApp.url, 'GET', '/app/assets/main-1a2b.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const home = await request(withApp.url, 'GET', '/', { headers: { accept: 'application/json' } });
    expect(home.body).toMatchObject({ app: '/app/' });
    expect((await request(withApp.url, 'GET', '/', { headers: { accept: 'text/html' } })).text).toContain(
      'href="/app/"',
    );
  });

  it('says how to build it when there is no build, as a problem', async () => {
    const missing = await request(server.url, 'GET', '/app/');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ detail: expect.stringContaining('pnpm build') });
  });
});
