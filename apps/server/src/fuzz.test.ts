/**
 * No 5xx from client input, anywhere. A seeded property-based fuzz over every route and method of
 * the contract (random paths, percent-escapes, query strings, cursors, headers, encodings and
 * bodies), raw-socket cases for what Node's parser refuses, and each case once found answering
 * 500 kept as a regression test. Every error must be problem+json with an X-Request-Id, and the
 * server must still be alive at the end.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { contract, contractRoutes } from '@lockstep/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from './core/paging.js';
import { createKey, type RawAnswer, rawRequest, startTestServer, type TestServer } from './testing.js';

/** Sends exactly what it is given (fetch refuses some methods and rewrites others). */
const send = (server: TestServer, method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
  rawRequest({ port: server.port, method, path, headers, body });

/** Sends raw bytes on a socket and reads the whole answer (the server closes after it). */
function sendRaw(server: TestServer, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(bytes, 'latin1');
    socket.end();
  });
}

/** The promise: below 500, and an error is a problem with the request's id. */
function expectClientAnswer(answer: RawAnswer, label: string): void {
  expect(answer.status, `${label} → ${answer.status} ${answer.body.slice(0, 200)}`).toBeLessThan(500);
  expect(answer.headers['x-request-id'], label).toBeTruthy();
  if (answer.status >= 400 && answer.body !== '') {
    expect(answer.headers['content-type'], label).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: answer.status });
  }
}

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await createKey(server)).token;
});
afterAll(async () => {
  await server?.dispose();
});

const routes = contractRoutes(contract).map(({ route }) => route);
const routePaths = [...new Set(routes.map((route) => route.path))];
const parameterised = routes.filter((route) => route.path.includes(':'));
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'M-SEARCH'];

describe('regressions: inputs that once answered 500', () => {
  it('a malformed percent-escape in a path parameter, on every parameterised route and method', async () => {
    for (const route of parameterised) {
      for (const method of METHODS) {
        const path = route.path.replace(/:\w+/g, '%zz');
        expectClientAnswer(await send(server, method, path, { authorization: `Bearer ${token}` }), `${method} ${path}`);
      }
    }
  });

  it('a body that is not the compressed data its Content-Encoding names', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const answer = await send(
        server,
        'POST',
        '/todos',
        { 'content-type': 'application/json', 'content-encoding': encoding },
        Buffer.from('{"userId":1,"title":"x"}'),
      );
      expectClientAnswer(answer, encoding);
      expect(answer.status).toBe(400);
    }
    const real = await send(
      server,
      'POST',
      '/todos',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync('{"userId":1,"title":"zipped"}'),
    );
    expect(real.status).toBe(201);
  });

  it('an edited cursor whose sort value has the wrong type, on every list sorted by another field', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['/todos', 'title', 5],
      ['/users', 'name', true],
      ['/transactions', 'occurredAt', 'not a date'],
      ['/transactions', 'amount', 'x'],
      ['/events', 'startsAt', 12],
      ['/events', 'name', 1],
    ];
    for (const [path, sort, value] of cases) {
      const cursor = Buffer.from(JSON.stringify([sort, value, 1])).toString('base64url');
      const answer = await send(server, 'GET', `${path}?sort=${sort}&cursor=${cursor}`, {
        authorization: `Bearer ${token}`,
      });
      expectClientAnswer(answer, `${path} ${sort}=${String(value)}`);
      expect(answer.status).toBe(400);
    }
    expect((await send(server, 'GET', '/todos?sort=title&cursor=WyJ0aXRsZSIsNSwxXQ', {})).status).toBe(400);
  });

  it('TRACE and other methods on /trpc', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PROPFIND']) {
      const answer = await send(server, method, '/trpc/todos.get', {});
      expectClientAnswer(answer, method);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
    }
  });

  it('a Host header that is no host, and an absolute request target, on /trpc', async () => {
    const path = `/trpc/todos.get?input=${encodeURIComponent(JSON.stringify({ params: { id: 1 } }))}`;
    // tRPC's adapter builds the request's URL from Host; one that is no host is a 400 in JSON,
    // as RFC 9112 §3.2 asks of "a Host header field with an invalid field value".
    for (const host of ['a b', 'x:99999', '[::1']) {
      const answer = await send(server, 'GET', path, { host });
      expect(answer.status, `Host ${JSON.stringify(host)}`).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { data: { httpStatus: 400 } } });
    }
    for (const [target, host] of [
      [path, ''],
      [`http://elsewhere.example${path}`, 'elsewhere.example'],
    ] as const) {
      const answer = await send(server, 'GET', target, { host });
      expect(answer.status, `${target} with Host ${JSON.stringify(host)}`).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ result: { data: { id: 1, title: 'delectus aut autem' } } });
    }
  });
});

describe('regressions: tRPC errors that were not labelled JSON', () => {
  it('a batch that mixes a query and a mutation', async () => {
    const answer = await send(
      server,
      'POST',
      '/trpc/todos.create,todos.get?batch=1',
      { 'content-type': 'application/json' },
      Buffer.from('{"0":{"body":{"userId":1,"title":"x"}},"1":{"params":{"id":1}}}'),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { data: { httpStatus: 400 } } });
  });
});

describe("what Node's parser refuses is answered as problem details", () => {
  const cases: Array<[string, string, number]> = [
    ['an unknown method', 'FOO /todos HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a control byte in the target', 'GET /to\x01dos HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a bad byte in a header name', 'GET /todos HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400],
    ['headers over 16 KiB', `GET /todos HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431],
    [
      'Content-Length with Transfer-Encoding (smuggling)',
      'POST /todos HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
    ['two Content-Lengths', 'POST /todos HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400],
  ];
  it.each(cases)('%s', async (_label, bytes, status) => {
    const answer = await sendRaw(server, bytes);
    expect(answer.startsWith(`HTTP/1.1 ${status} `), answer.slice(0, 80)).toBe(true);
    expect(answer).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/i);
    expect(answer).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status });
  });
});

describe('fuzz', () => {
  const id = fc.oneof(
    fc.integer({ min: 1, max: 250 }).map(String),
    fc.constantFrom(
      '0',
      '-1',
      '1.5',
      '2147483648',
      '99999999999999999999',
      'abc',
      '%zz',
      '%',
      '%E0%A4%A',
      '%00',
      '..',
      '%2F',
    ),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  const queryValue = fc.oneof(
    fc.constantFrom('1', '0', '-5', '1001', 'true', 'false', 'id', '-id', 'title', '-name', 'EUR', 'yes', ''),
    fc.string({ maxLength: 12 }),
    fc
      .tuple(fc.constantFrom('id', 'title', 'name', 'occurredAt', 'amount', 'startsAt'), fc.jsonValue(), fc.integer())
      .map(([sort, value, last]) => encodeCursor(sort, { value: value as string, id: last })),
  );
  const query = fc
    .array(
      fc.tuple(
        fc.constantFrom('limit', 'sort', 'cursor', 'userId', 'completed', 'currency', 'rsvp', 'email', 'x', 'limit[]'),
        queryValue,
      ),
      { maxLength: 4 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''));
  const body = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc
      .record({ userId: fc.jsonValue(), title: fc.jsonValue(), completed: fc.jsonValue() })
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 64 }),
    fc.constant('{"__proto__":{"x":1}}'),
    fc.constant(`${'['.repeat(40)}${']'.repeat(40)}`),
  );
  const headers = fc.record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'application/merge-patch+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        '',
      ),
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bogus'),
      authorization: fc.constantFrom(`Bearer lsk_0000000000000000_${'a'.repeat(43)}`, 'Bearer', 'Basic abc', 'VALID'),
      'if-match': fc.constantFrom('*', '"x"', 'W/"x"', 'garbage'),
      'idempotency-key': fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
        fc.constant('k'.repeat(300)),
      ),
      'x-request-id': fc.constantFrom('abc', 'bad id with spaces', 'x'.repeat(200)),
    },
    { requiredKeys: [] },
  );

  it('never answers 5xx, and answers every error as problem+json (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routePaths),
        fc.constantFrom(...METHODS),
        fc.array(id, { minLength: 2, maxLength: 2 }),
        query,
        headers,
        fc.option(body, { nil: undefined }),
        async (routePath, method, ids, search, sent, payload) => {
          let index = 0;
          const path = routePath.replace(/:\w+/g, () => ids[index++ % ids.length] as string) + search;
          const finalHeaders: Record<string, string> = Object.fromEntries(
            Object.entries(sent).filter(([, value]) => value !== '' && value !== undefined),
          ) as Record<string, string>;
          if (finalHeaders.authorization === 'VALID') finalHeaders.authorization = `Bearer ${token}`;
          const withBody = payload !== undefined && !['GET', 'HEAD'].includes(method);
          const answer = await send(server, method, path, finalHeaders, withBody ? Buffer.from(payload) : undefined);
          expectClientAnswer(answer, `${method} ${path} ${JSON.stringify(finalHeaders)} ${payload ?? ''}`);
        },
      ),
      { seed: 20261125, numRuns: 2000, endOnFailure: true },
    );
    expect((await send(server, 'GET', '/healthz', {})).status).toBe(200);
  }, 120_000);

  it('never answers 5xx on /trpc either: random procedures, batches and inputs (seeded)', async () => {
    const procedures = contractRoutes(contract).map(({ key }) => key.join('.'));
    const procedure = fc.oneof(fc.constantFrom(...procedures), fc.string({ maxLength: 12 }).map(encodeURIComponent));
    const input = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.record({ params: fc.jsonValue(), query: fc.jsonValue(), body: fc.jsonValue() }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(procedure, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('GET', 'POST'),
        fc.boolean(),
        input,
        async (names, method, batch, payload) => {
          const path = `/trpc/${names.join(',')}${batch ? '?batch=1' : ''}`;
          const answer =
            method === 'GET'
              ? await send(server, 'GET', `${path}${batch ? '&' : '?'}input=${encodeURIComponent(payload)}`, {
                  authorization: `Bearer ${token}`,
                })
              : await send(
                  server,
                  'POST',
                  path,
                  { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                  Buffer.from(payload),
                );
          const label = `${method} ${path} ${payload}`;
          expect(answer.status, `${label} → ${answer.status} ${answer.body.slice(0, 200)}`).toBeLessThan(500);
          expect(answer.headers['x-request-id'], label).toBeTruthy();
          if (answer.body !== '') expect(answer.headers['content-type'], label).toMatch(/json/);
        },
      ),
      { seed: 20261125, numRuns: 500, endOnFailure: true },
    );
  }, 60_000);
});
