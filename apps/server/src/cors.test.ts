/**
 * CORS by allow-list (`CORS_ORIGINS`): preflights answered for the allowed origins, the headers
 * clients need exposed, `Vary: Origin`; nothing for any other origin, and nothing at all by
 * default. Then in Debian's Chromium: a page served from an allowed origin reads a response and
 * its ETag and writes with If-Match; a page from another origin is refused.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { freePort } from './testing/server-process.js';
import { browserTestsEnabled, launchChromium, request, startTestServer, type TestServer } from './testing.js';

/** A page on its own loopback origin whose script calls the API and shows what it got. */
async function pageServer(api: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const page = `<!doctype html><title>cors</title><pre id="out">running</pre><script>
  (async () => {
    const out = document.getElementById('out');
    try {
      const read = await fetch('${api}/todos/3');
      const etag = read.headers.get('etag');
      const write = await fetch('${api}/todos/3', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify({ title: 'written across origins' }),
      });
      out.textContent = JSON.stringify({ read: read.status, etag, write: write.status, title: (await write.json()).title });
    } catch (error) {
      out.textContent = 'refused: ' + error.message;
    }
  })();
</script>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const ALLOWED = 'http://app.example.test';

describe('CORS', () => {
  let open: TestServer;
  let closed: TestServer;
  beforeAll(async () => {
    open = await startTestServer(undefined, { CORS_ORIGINS: `${ALLOWED}, https://admin.example.test:8443` });
    closed = await startTestServer();
  });
  afterAll(async () => {
    await open?.dispose();
    await closed?.dispose();
  });

  it('answers an allowed origin’s preflight with the methods and headers this API uses', async () => {
    const preflight = await request(open.url, 'OPTIONS', '/todos/1', {
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'if-match, content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-match');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
    expect(preflight.headers.get('vary')).toMatch(/Origin/);
  });

  it('exposes ETag, Link, Location, X-Request-Id and the rate-limit headers to an allowed origin', async () => {
    const answer = await request(open.url, 'GET', '/todos?limit=1', { headers: { origin: ALLOWED } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const exposed = answer.headers
      .get('access-control-expose-headers')
      ?.split(',')
      .map((name) => name.trim());
    for (const name of ['ETag', 'Link', 'Location', 'X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'])
      expect(exposed).toContain(name);
    expect(answer.headers.get('vary')).toMatch(/Origin/);
  });

  it('says nothing to another origin, and nothing to any origin by default', async () => {
    for (const [server, origin] of [
      [open, 'http://elsewhere.test'],
      [closed, ALLOWED],
    ] as const) {
      const answer = await request(server.url, 'GET', '/todos/1', { headers: { origin } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('refuses to start with something that is not an origin in CORS_ORIGINS', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.test/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: \* is not an origin/);
  });
});

describe.skipIf(!browserTestsEnabled())('CORS in Chromium', () => {
  let browser: Browser;
  let api: TestServer;
  let allowed: Awaited<ReturnType<typeof pageServer>>;
  let other: Awaited<ReturnType<typeof pageServer>>;
  beforeAll(async () => {
    // The pages need the API's address and the API the allowed page's origin: the port comes first.
    const port = await freePort();
    allowed = await pageServer(`http://127.0.0.1:${port}`);
    other = await pageServer(`http://127.0.0.1:${port}`);
    api = await startTestServer(undefined, { PORT: String(port), CORS_ORIGINS: allowed.origin });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.dispose();
    await allowed?.close();
    await other?.close();
  });

  const outcome = async (origin: string) => {
    const page = await browser.newPage();
    await page.goto(origin);
    await page.waitForFunction("document.getElementById('out').textContent !== 'running'");
    const text = (await page.locator('#out').textContent()) ?? '';
    await page.close();
    return text;
  };

  it('lets a page on an allowed origin read an answer and its ETag, and write with If-Match', async () => {
    const result = JSON.parse(await outcome(allowed.origin)) as Record<string, unknown>;
    expect(result).toMatchObject({ read: 200, write: 200, title: 'written across origins' });
    expect(result.etag).toMatch(/^"/);
  });

  it('refuses a page on any other origin', async () => {
    expect(await outcome(other.origin)).toMatch(/^refused: Failed to fetch/);
  });
});
