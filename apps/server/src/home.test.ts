import { CONTRACT_VERSION, contract, contractRoutes } from '@lockstep/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './testing.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.dispose();
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
    const paths = new Set(contractRoutes(contract).map(({ route }) => route.path.replace(/:(\w+)/g, '{$1}')));
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
