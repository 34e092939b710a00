/**
 * `lockstep verify` proven both ways: it passes against the real server (and, read-only, against
 * the mock), and it fails, naming the route and the check, against deployments broken on
 * purpose by a rewriting proxy in front of the real server.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONTRACT_VERSION } from '@lockstep/contract';
import { createKey, startTestServer, type TestServer, tempDirs } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockApp } from './mock.js';
import { verify } from './verify/index.js';
import { coverageReport, failuresOf, formatReport, type Report } from './verify/report.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, 'verify-cli.ts');
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

let server: TestServer;
let keys: { key: string; otherKey: string; readKey: string };
const tempDir = tempDirs();

beforeAll(async () => {
  server = await startTestServer();
  keys = {
    key: (await createKey(server)).token,
    otherKey: (await createKey(server)).token,
    readKey: (await createKey(server, ['read'])).token,
  };
});
afterAll(async () => {
  await server?.dispose();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}
interface Breakage {
  /** An answer given in the server's place, before it sees the request (a gateway's 429, say). */
  instead?: (method: string, path: string) => Answer | undefined;
  request?: (method: string, path: string, headers: IncomingHttpHeaders) => void;
  response?: (method: string, path: string, answer: Answer) => void;
}

/** A proxy in front of the real server that breaks its answers in one way. */
async function brokenDeployment(breakage: Breakage): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(server.url);
  const proxy: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const method = incoming.method ?? 'GET';
      const path = incoming.url ?? '/';
      const headers = { ...incoming.headers, host: target.host };
      const instead = breakage.instead?.(method, path);
      if (instead) {
        outgoing.writeHead(instead.status, instead.headers as Record<string, string>);
        outgoing.end(instead.body);
        return;
      }
      breakage.request?.(method, path, headers);
      const forwarded = request({ host: target.hostname, port: target.port, method, path, headers }, (response) => {
        // A change feed passes as it streams: these deployments break other things.
        if (String(response.headers['content-type']).startsWith('text/event-stream')) {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
          outgoing.on('close', () => response.destroy());
          return;
        }
        const body: Buffer[] = [];
        response.on('data', (chunk: Buffer) => body.push(chunk));
        response.on('end', () => {
          const answer: Answer = {
            status: response.statusCode ?? 502,
            headers: { ...response.headers },
            body: Buffer.concat(body).toString('utf8'),
          };
          breakage.response?.(method, path, answer);
          delete answer.headers['content-length'];
          delete answer.headers['transfer-encoding'];
          outgoing.writeHead(answer.status, answer.headers as Record<string, string>);
          outgoing.end(answer.body);
        });
      });
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

const verifyAgainst = (baseUrl: string, seed = 7) => verify({ baseUrl, ...keys, seed });

/** The failed checks as `route: check`, without repeats. */
const failed = (report: Report) => [
  ...new Set(failuresOf(report).map((failure) => `${failure.route}: ${failure.check}`)),
];

describe('lockstep verify against the real server', () => {
  it('passes every check, with both owners and a read-only key, and leaves nothing behind', async () => {
    const before = await fetch(`${server.url}/todos?sort=-id&limit=1`).then((response) => response.json());
    const report = await verifyAgainst(server.url);
    expect(failed(report)).toEqual([]);
    expect(report.skipped).toEqual([]);
    // Every route of the contract was exercised, and the probes ran.
    const routes = new Set(report.results.map((result) => result.route));
    for (const route of [
      'todos.listByUser',
      'guests.remove',
      'transactions.update',
      'users.replace',
      'POST /todos/:id',
    ])
      expect(routes).toContain(route);
    expect(report.results.length).toBeGreaterThan(1000);
    // Every feed followed: a change arrived typed, a resume brought the next, owners kept apart.
    for (const resource of ['todos', 'users', 'transactions', 'events', 'guests']) {
      const checks = report.results.filter((result) => result.route === `${resource}.changes`);
      expect(checks.map((result) => result.check)).toEqual(
        expect.arrayContaining([
          'a create arrives as event: created',
          'a resume after Last-Event-ID brings the next change, and not the one before',
        ]),
      );
    }
    expect(
      report.results.filter((result) => result.check === "another owner's stream never sees the change"),
    ).toHaveLength(3);
    const after = await fetch(`${server.url}/todos?sort=-id&limit=1`).then((response) => response.json());
    expect(after).toEqual(before);
    const events = await fetch(`${server.url}/events`, { headers: { authorization: `Bearer ${keys.key}` } });
    expect(await events.json()).toEqual([]);
  });

  it('from the command line: a table, JUnit XML, exit code 0; keys never printed', async () => {
    const junit = join(await tempDir(), 'verify.xml');
    const { stdout, stderr } = await run(TSX, [
      CLI,
      '--base-url',
      server.url,
      '--key',
      keys.key,
      '--other-key',
      keys.otherKey,
      '--seed',
      '11',
      '--junit',
      junit,
    ]);
    expect(stdout).toMatch(/^route\s+passed\s+failed\s+statuses$/m);
    expect(stdout).toMatch(/^todos\.create\s+\d+\s+0\s+201×\d+/m);
    expect(stdout).toMatch(/checks passed against .*; seed 11 \(repeat with --seed 11\)\.$/m);
    expect(stderr).toMatch(/… guests: create/);
    expect(stdout + stderr).not.toContain(keys.key);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="lockstep verify [^"]*" tests="\d+" failures="0">/);
    expect(xml).toContain('<testsuite name="guests.create"');
  });

  it('refuses a command line it cannot run, with exit code 2 and the usage', async () => {
    const error = await run(TSX, [CLI, '--base-url', server.url, '--key', keys.key]).catch(
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(
      /--other-key .* is required unless --read-only[\s\S]*Usage: lockstep-verify/,
    );
  });
  it('says once that a deployment cannot be reached, with exit code 1', async () => {
    const error = await run(TSX, [CLI, '--base-url', 'http://127.0.0.1:1', '--key', 'k', '--read-only']).catch(
      (failure: { code: number; stderr: string; stdout: string }) => failure,
    );
    expect(error).toMatchObject({ code: 1, stdout: '' });
    expect((error as { stderr: string }).stderr).toMatch(
      /^lockstep-verify: cannot reach http:\/\/127\.0\.0\.1:1\/: .*ECONNREFUSED$/m,
    );
  });
});

describe('lockstep verify --read-only', () => {
  it('passes against the mock server, sending only GETs', async () => {
    const methods = new Set<string>();
    const app = createMockApp();
    const mock = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => mock.once('listening', resolve));
    mock.on('request', (incoming) => methods.add(incoming.method ?? ''));
    try {
      const report = await verify({
        baseUrl: `http://127.0.0.1:${(mock.address() as AddressInfo).port}`,
        key: 'any',
        readOnly: true,
        seed: 3,
      });
      expect(failed(report)).toEqual([]);
      expect(report.results.length).toBeGreaterThan(100);
      expect([...methods]).toEqual(['GET']);
    } finally {
      mock.close();
    }
  });
});

describe('lockstep verify against broken deployments', () => {
  const cases: Array<[string, Breakage, string]> = [
    [
      'a body member of the wrong type',
      {
        response: (method, path, answer) => {
          if (method === 'GET' && /^\/todos\/\d+$/.test(path) && answer.status === 200)
            answer.body = answer.body.replace(/"completed":(true|false)/, '"completed":"$1"');
        },
      },
      'todos.get: 200 body matches the contract',
    ],
    [
      'a 201 without Location',
      {
        response: (_method, path, answer) => {
          if (path === '/events' && answer.status === 201) delete answer.headers.location;
        },
      },
      'events.create: Location on 201',
    ],
    [
      'an undeclared status',
      {
        response: (method, path, answer) => {
          if (method === 'DELETE' && path.startsWith('/users/') && answer.status === 200) answer.status = 202;
        },
      },
      'users.remove: status 202 is declared for DELETE /users/:id',
    ],
    [
      'an HTML error page',
      {
        response: (_method, _path, answer) => {
          if (answer.status !== 404) return;
          answer.headers['content-type'] = 'text/html; charset=utf-8';
          answer.body = '<html><body><h1>404 Not Found</h1></body></html>';
        },
      },
      'guests.get: 404 is application/problem+json',
    ],
    [
      'a third list item that lacks a field',
      {
        response: (method, path, answer) => {
          if (method !== 'GET' || !/^\/todos(\?|$)/.test(path) || answer.status !== 200) return;
          const rows = JSON.parse(answer.body) as Array<Record<string, unknown>>;
          if (rows.length < 3) return;
          delete rows[2]?.title;
          answer.body = JSON.stringify(rows);
        },
      },
      'todos.list: 200 body matches the contract',
    ],
    [
      'an owner route answering without a key',
      {
        request: (_method, path, headers) => {
          if (path.startsWith('/transactions') && !headers.authorization) headers.authorization = `Bearer ${keys.key}`;
        },
      },
      'transactions.list: no key answers 401',
    ],
  ];

  // Each case checks the route it breaks (`only`, as `--only` replays a case): a whole run against
  // the real server is the first test's; here, that each breakage is caught and named.
  it.each(cases)('fails on %s, naming the route and the check', async (_name, breakage, expected) => {
    const deployment = await brokenDeployment(breakage);
    try {
      const report = await verify({ baseUrl: deployment.url, ...keys, seed: 7, only: expected.split(':')[0] });
      expect(failed(report)).toContain(expected);
      const failure = failuresOf(report).find((result) => `${result.route}: ${result.check}` === expected);
      expect(failure?.curl).toMatch(/^curl -sS -i -X [A-Z]+ 'http:\/\/127\.0\.0\.1:\d+\//);
      expect(failure?.actual).toBeTruthy();
    } finally {
      await deployment.close();
    }
  });

  it('names the row and the member of a list item that breaks the schema', async () => {
    const deployment = await brokenDeployment(cases.find(([name]) => name.startsWith('a third list item'))?.[1] ?? {});
    try {
      const report = await verify({ baseUrl: deployment.url, ...keys, seed: 7, only: 'todos.list' });
      const failure = failuresOf(report).find((result) => result.check === '200 body matches the contract');
      expect(failure?.actual).toMatch(/^2\.title: /);
    } finally {
      await deployment.close();
    }
  });

  it('exits 1 from the command line and prints the failure with what was expected, what came back, and a curl line', async () => {
    const deployment = await brokenDeployment(cases[1]?.[1] as Breakage);
    try {
      const error = await run(TSX, [
        CLI,
        '--base-url',
        deployment.url,
        '--key',
        keys.key,
        '--other-key',
        keys.otherKey,
      ]).catch((failure: { code: number; stdout: string }) => failure);
      expect(error).toMatchObject({ code: 1 });
      const { stdout } = error as { stdout: string };
      expect(stdout).toMatch(/^events\.create\s+\d+\s+[1-9]\d*\s+201×\d+/m);
      expect(stdout).toMatch(
        /✗ events\.create: Location on 201\n {2}expected: a Location header\n {2}actual: {3}none\n {2}repeat: {3}curl .*-X POST '[^']*\/events'.*"authorization: Bearer \$LOCKSTEP_KEY"/,
      );
    } finally {
      await deployment.close();
    }
  });
});

/** A 429 as a gateway in front of the deployment answers it. */
const tooManyRequests = (retryAfter: string): Answer => ({
  status: 429,
  headers: { 'retry-after': retryAfter, 'x-request-id': 'gateway', 'content-type': 'application/problem+json' },
  body: JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429 }),
});

describe('lockstep verify paces itself, records coverage and replays one case', () => {
  it('waits on a 429 as Retry-After says, then goes on and passes', async () => {
    let requests = 0;
    const limited = new Set<number>();
    // A gateway that refuses every 40th request with 429 and `Retry-After: 1`, before the server sees it.
    const deployment = await brokenDeployment({
      instead: () => {
        requests += 1;
        if (requests % 40 !== 0) return undefined;
        limited.add(requests);
        return tooManyRequests('1');
      },
    });
    try {
      const waits: number[] = [];
      const report = await verify({ baseUrl: deployment.url, ...keys, seed: 7, onWait: (ms) => waits.push(ms) });
      expect(limited.size).toBeGreaterThan(2);
      expect(failed(report)).toEqual([]);
      expect(waits.length).toBe(limited.size);
      expect(new Set(waits)).toEqual(new Set([1000]));
      expect(report.pacing).toEqual({ waits: limited.size, waitedMs: 1000 * limited.size });
    } finally {
      await deployment.close();
    }
  });

  it('cuts a long Retry-After to the longest wait allowed', async () => {
    let refused = false;
    const deployment = await brokenDeployment({
      instead: (method, path) => {
        if (refused || method !== 'GET' || !path.startsWith('/todos?')) return undefined;
        refused = true;
        return tooManyRequests('3600');
      },
    });
    try {
      const report = await verify({ baseUrl: deployment.url, ...keys, seed: 7, only: 'todos.list', longestWaitMs: 50 });
      expect(refused).toBe(true);
      expect(report.pacing).toEqual({ waits: 1, waitedMs: 50 });
      expect(failed(report)).toEqual([]);
    } finally {
      await deployment.close();
    }
  });

  it('reports the deprecated routes it used, as the deployment announced them, and counts as a conformance run', async () => {
    const deprecating = await brokenDeployment({
      response: (method, path, answer) => {
        if (method !== 'GET' || !/^\/todos\/\d+$/.test(path)) return;
        answer.headers.deprecation = '@1793491200';
        answer.headers.sunset = 'Tue, 01 Jun 2027 00:00:00 GMT';
        answer.headers.link = '<https://example.com/todos-v2>; rel="deprecation"';
      },
    });
    try {
      const report = await verify({ baseUrl: deprecating.url, ...keys, seed: 3, only: 'todos.get' });
      // The contract does not deprecate the route, so its answers owe no such headers; using one is no failure.
      expect(failed(report)).toEqual([]);
      expect(report.deprecated).toEqual([
        {
          route: 'todos.get',
          method: 'GET',
          path: '/todos/:id',
          sunset: '2027-06-01',
          link: 'https://example.com/todos-v2',
          requests: expect.any(Number),
        },
      ]);
      expect(formatReport(report)).toMatch(
        /Deprecated routes this run still used \(1\):\n- todos\.get \(GET \/todos\/:id\): \d+ request\(s\), sunset 2027-06-01; https:\/\/example\.com\/todos-v2/,
      );
      expect(coverageReport(report)).toMatchObject({ deprecated: report.deprecated });
    } finally {
      await deprecating.close();
    }
    // The deployment's usage ledger names the run as what it is, which the deploy gate does not count.
    const { token } = await createKey(server, ['admin']);
    const usage = await fetch(`${server.url}/contract/usage`, { headers: { authorization: `Bearer ${token}` } });
    const consumers = ((await usage.json()) as { consumers: Array<{ version: string }> }).consumers;
    expect(consumers.map((consumer) => consumer.version)).toContain(`${CONTRACT_VERSION}-verify`);
  });

  it('writes which routes × statuses × checks ran, and the table shows coverage', async () => {
    const file = join(await tempDir(), 'coverage.json');
    const { stdout } = await run(TSX, [
      CLI,
      ...['--base-url', server.url, '--key', keys.key, '--other-key', keys.otherKey, '--seed', '5'],
      ...['--report', file],
    ]);
    const record = JSON.parse(await readFile(file, 'utf8')) as {
      contractVersion: string;
      seed: number;
      summary: { failed: number; routesNeverRequested: string[] };
      routes: Array<{
        route: string;
        method: string;
        path: string;
        statuses: Record<string, number>;
        checks: unknown[];
      }>;
    };
    expect(record).toMatchObject({ seed: 5, summary: { failed: 0, routesNeverRequested: [] } });
    const update = record.routes.find((entry) => entry.route === 'todos.update');
    expect(update).toMatchObject({ method: 'PATCH', path: '/todos/:id' });
    expect(Object.keys(update?.statuses ?? {})).toEqual(['200', '412']);
    expect(update?.checks).toContainEqual({
      check: '200 body matches the contract',
      passed: expect.any(Number),
      failed: 0,
    });
    expect(stdout).toMatch(/^route\s+passed\s+failed\s+statuses$/m);
    expect(stdout).toMatch(/^todos\.update\s+\d+\s+0\s+200×\d+.* 412×\d+/m);
    expect(stdout).toMatch(/^Coverage: (\d+) of \1 contract routes requested, \d+ route × status pairs seen\.$/m);
  });

  it('replays one failing case with --only and the seed: the same request, and only that route', async () => {
    // A created guest comes back without its rsvp. The replay must send what the failing run
    // sent, so the curl line it prints repeats the same request.
    const deployment = await brokenDeployment({
      response: (method, path, answer) => {
        if (method === 'POST' && /^\/events\/\d+\/guests$/.test(path) && answer.status === 201)
          answer.body = answer.body.replace(/"rsvp":"[a-z]+",?/, '');
      },
    });
    try {
      const whole = await verifyAgainst(deployment.url, 21);
      const failure = failuresOf(whole).find((result) => result.route === 'guests.create');
      expect(failure).toBeDefined();
      const replay = await verify({ baseUrl: deployment.url, ...keys, seed: 21, only: 'guests.create' });
      expect(new Set(replay.results.map((result) => result.route))).toEqual(new Set(['guests.create']));
      const again = failuresOf(replay).find((result) => result.check === failure?.check);
      expect(again).toBeDefined();
      // The same generated body went out (paths and idempotency keys differ from run to run).
      const body = (curl?: string) => curl?.match(/--data-raw '(.*)'$/)?.[1];
      const sentBodies = (report: Report) =>
        failuresOf(report)
          .filter((result) => result.route === 'guests.create')
          .map((result) => body(result.curl));
      expect(sentBodies(replay)[0]).toBeDefined();
      expect(sentBodies(whole)).toContain(sentBodies(replay)[0]);
      expect(replay.results.length).toBeLessThan(whole.results.length / 5);
    } finally {
      await deployment.close();
    }
  });

  it('refuses --only with a name that is no route, listing those it takes', async () => {
    const error = await run(TSX, [
      CLI,
      '--base-url',
      server.url,
      '--key',
      keys.key,
      '--read-only',
      '--only',
      'todos.fly',
    ]).catch((failure: { code: number; stderr: string }) => failure);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/--only todos\.fly is not a route .*todos\.update/);
  });
});
