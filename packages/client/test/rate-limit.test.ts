/**
 * The client against the real server's rate limits: a 429 is waited out as its Retry-After says
 * (up to the client's cap), then handed back as a typed problem with the server's fields.
 */
import { startTestServer, type TestServer } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/index.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { RATE_LIMIT_ANONYMOUS: '2' });
});
afterAll(async () => {
  await server.dispose();
});

describe('a rate-limited server', () => {
  it('is waited for as Retry-After says (capped), then answers a typed 429 with its RateLimit fields', async () => {
    const cap = 400;
    const api = createClient({ baseUrl: server.url, retry: { retries: 1, maxRetryAfterMs: cap } });
    expect((await api.todos.get({ params: { id: 1 } })).status).toBe(200);
    expect((await api.todos.get({ params: { id: 1 } })).status).toBe(200);
    const started = performance.now();
    const refused = await api.todos.get({ params: { id: 1 } });
    const waited = performance.now() - started;
    // The server asked for up to a minute; the client waited its cap once, then gave up.
    expect(waited).toBeGreaterThanOrEqual(cap - 10);
    expect(waited).toBeLessThan(10_000);
    expect(refused.status).toBe(429);
    if (refused.status !== 429) return;
    expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toBe('"anonymous";q=2;w=60');
    expect(refused.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=\d+$/);
  });
});
