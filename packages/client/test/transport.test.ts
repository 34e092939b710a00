/**
 * The client against real, misbehaving HTTP servers on loopback: no mocked fetch. Attempt
 * counts and delays are read from the server's record of arrivals.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  createClient,
  HttpError,
  LockstepError,
  NetworkError,
  parseRetryAfter,
  ResponseValidationError,
  TimeoutError,
  TooManyRedirectsError,
} from '../src/index.js';
import { faultServer, json } from './fault-server.js';
import { waitError } from './wait-error.js';

const todo = { userId: 1, id: 1, title: 'delectus aut autem', completed: false };
const problem = (status: number) => ({ type: 'about:blank', title: 'x', status, detail: 'd' });
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});
async function serve(behaviour: Parameters<typeof faultServer>[0]) {
  const server = await faultServer(behaviour);
  closers.push(server.close);
  return server;
}
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

describe('errors by failure', () => {
  it('refused connection → NetworkError (ECONNREFUSED), retried for GET', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 1, ...fast } });
    const error = await waitError(client.todos.get({ params: { id: 1 } }), NetworkError);
    expect(error).toBeInstanceOf(LockstepError);
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('accepted but silent → TimeoutError in the connect phase', async () => {
    const server = await serve(() => {});
    const client = createClient({ baseUrl: server.url, timeout: { connect: 200, request: 5_000 }, retry: false });
    const error = await waitError(client.todos.get({ params: { id: 1 } }), TimeoutError);
    expect(error.phase).toBe('connect');
    expect(server.arrivals).toHaveLength(1);
  });

  it('headers sent, body too slow → TimeoutError for the whole request, retried once', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"userId":1,');
    });
    const client = createClient({
      baseUrl: server.url,
      timeout: { connect: 1_000, request: 300 },
      retry: { retries: 1, ...fast },
    });
    const error = await waitError(client.todos.get({ params: { id: 1 } }), TimeoutError);
    expect(error.phase).toBe('request');
    expect(server.arrivals).toHaveLength(2);
  });

  it('connection reset mid-body → NetworkError after the retries', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"userId":1,');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const client = createClient({ baseUrl: server.url, retry: { retries: 2, ...fast } });
    await waitError(client.todos.get({ params: { id: 1 } }), NetworkError);
    expect(server.arrivals).toHaveLength(3);
  });

  it('a body that breaks the contract → ResponseValidationError naming the field', async () => {
    const server = await serve((_req, res) => json(res, 200, { ...todo, completed: 'nope' }));
    const error = await waitError(
      createClient({ baseUrl: server.url }).todos.get({ params: { id: 1 } }),
      ResponseValidationError,
    );
    expect(error.issues[0]?.path).toBe('/completed');
  });

  it('a status the contract does not declare → ResponseValidationError', async () => {
    const server = await serve((_req, res) => json(res, 418, problem(418)));
    await waitError(createClient({ baseUrl: server.url }).todos.get({ params: { id: 1 } }), ResponseValidationError);
  });

  it('the caller’s signal → AbortError, and no retry after it', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = createClient({ baseUrl: server.url, retry: { retries: 3, ...fast } }).todos.get({
      params: { id: 1 },
      fetchOptions: { signal: controller.signal },
    });
    setTimeout(() => controller.abort(), 100);
    await waitError(pending, AbortError);
    expect(server.arrivals).toHaveLength(1);
  });
});

describe('retries', () => {
  it('503 with Retry-After: 1, then 200 → one retry, a second later as the server saw it', async () => {
    const server = await serve((_req, res, arrivals) =>
      arrivals.length === 1 ? json(res, 503, problem(503), { 'retry-after': '1' }) : json(res, 200, todo),
    );
    const result = await createClient({ baseUrl: server.url, retry: fast }).todos.get({ params: { id: 1 } });
    expect(result.status).toBe(200);
    expect(result.unwrap()).toEqual(todo);
    expect(server.arrivals).toHaveLength(2);
    const gap = (server.arrivals[1]?.at ?? 0) - (server.arrivals[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(990);
  });

  it('caps a long Retry-After (an HTTP-date far ahead) at maxRetryAfterMs', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const server = await serve((_req, res, arrivals) =>
      arrivals.length === 1 ? json(res, 429, problem(429), { 'retry-after': later }) : json(res, 200, todo),
    );
    const client = createClient({ baseUrl: server.url, retry: { ...fast, maxRetryAfterMs: 150 } });
    expect((await client.todos.get({ params: { id: 1 } })).status).toBe(200);
    const gap = (server.arrivals[1]?.at ?? 0) - (server.arrivals[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(140);
    expect(gap).toBeLessThan(3_600_000);
  });

  it('backs off exponentially with full jitter between attempts', async () => {
    const server = await serve((_req, res) => json(res, 500, problem(500)));
    // random() = 1 makes each delay its ceiling: 100 ms, then 200 ms.
    const client = createClient({
      baseUrl: server.url,
      retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
      random: () => 1,
    });
    const result = await client.todos.get({ params: { id: 1 } });
    expect(result.status).toBe(500);
    expect(server.arrivals).toHaveLength(3);
    const [a, b, c] = server.arrivals.map((arrival) => arrival.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(95);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(195);
  });

  it('does not retry PATCH, nor 4xx answers, nor anything when retry is false', async () => {
    const server = await serve((_req, res) => json(res, 503, problem(503)));
    const client = createClient({ baseUrl: server.url, retry: fast });
    await client.todos.update({ params: { id: 1 }, body: { title: 'x' } });
    expect(server.arrivals).toHaveLength(1);
    await createClient({ baseUrl: server.url, retry: false }).todos.get({ params: { id: 1 } });
    expect(server.arrivals).toHaveLength(2);
  });

  it('retries POST with one Idempotency-Key it generated, the same on every attempt', async () => {
    const server = await serve((_req, res, arrivals) =>
      arrivals.length < 3 ? json(res, 502, problem(502)) : json(res, 201, todo),
    );
    const result = await createClient({ baseUrl: server.url, retry: fast }).todos.create({
      body: { userId: 1, title: 'x' },
    });
    expect(result.status).toBe(201);
    const keys = server.arrivals.map((arrival) => arrival.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('redirects', () => {
  it('follows a 301 to another path', async () => {
    const server = await serve((req, res) => {
      if (req.url !== '/todos/1') return json(res, 200, todo);
      res.writeHead(301, { location: '/todos/1/moved' }).end();
    });
    const result = await createClient({ baseUrl: server.url }).todos.get({ params: { id: 1 } });
    expect(result.unwrap()).toEqual(todo);
    expect(server.arrivals.map((arrival) => arrival.url)).toEqual(['/todos/1', '/todos/1/moved']);
  });

  it('stops a redirect loop with TooManyRedirectsError after maxRedirects', async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    await waitError(
      createClient({ baseUrl: server.url, maxRedirects: 3, retry: false }).todos.get({ params: { id: 1 } }),
      TooManyRedirectsError,
    );
    expect(server.arrivals).toHaveLength(4);
  });

  it('returns the 3xx as is with maxRedirects: 0', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(301, { location: '/elsewhere' });
      res.end();
    });
    const result = await createClient({ baseUrl: server.url, maxRedirects: 0 }).todos.get({ params: { id: 1 } });
    expect(result.status).toBe(301);
    expect(result.headers.get('location')).toBe('/elsewhere');
    expect(server.arrivals).toHaveLength(1);
  });
});

describe('results, hooks, pagination', () => {
  it('unwrap() and throwOnError turn a problem into an HttpError carrying it', async () => {
    const server = await serve((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problem(404))),
    );
    const result = await createClient({ baseUrl: server.url }).todos.get({ params: { id: 9 } });
    expect(result.status).toBe(404);
    expect(() => result.unwrap()).toThrow(HttpError);
    const error = await waitError(
      createClient({ baseUrl: server.url, throwOnError: true }).todos.get({ params: { id: 9 } }),
      HttpError,
    );
    expect(error.problem?.status).toBe(404);
  });

  it('runs hooks around every attempt; beforeRequest may set headers', async () => {
    const server = await serve((req, res) =>
      req.headers.authorization === 'Bearer fresh' ? json(res, 200, todo) : json(res, 503, problem(503)),
    );
    const seen: number[] = [];
    const client = createClient({
      baseUrl: server.url,
      retry: fast,
      hooks: {
        beforeRequest: (request) => {
          if (request.attempt > 0) request.headers.set('authorization', 'Bearer fresh');
        },
        afterResponse: (response) => {
          seen.push(response.status);
        },
      },
    });
    expect((await client.todos.get({ params: { id: 1 } })).status).toBe(200);
    expect(seen).toEqual([503, 200]);
  });

  it('list.all() follows Link headers across pages', async () => {
    const server = await serve((req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      const page = Number(url.searchParams.get('cursor') ?? 0);
      const items = [1, 2].map((n) => ({ ...todo, id: page * 2 + n }));
      const headers: Record<string, string> = {};
      if (page < 2) headers.link = `</todos?limit=2&cursor=${page + 1}>; rel="next"`;
      json(res, 200, items, headers);
    });
    const ids: number[] = [];
    for await (const item of createClient({ baseUrl: server.url }).todos.list.all({ query: { limit: 2 } }))
      ids.push(item.id);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.arrivals.map((a) => a.url)).toEqual([
      '/todos?limit=2',
      '/todos?limit=2&cursor=1',
      '/todos?limit=2&cursor=2',
    ]);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThan(3_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
