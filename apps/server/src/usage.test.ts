/**
 * The usage ledger on a real server: who called which contract route, read back by an admin key,
 * weighed by `pnpm contract:check --usage-from`, and the ledger's own promises (nothing lost when
 * a write fails, days turning at UTC midnight, retention, bounded consumers). The ledger across
 * instances on PostgreSQL is packages/client/test/usage-ledger.test.ts (run on both engines).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ContractUsage, ContractUsageSchema, contract, openApiDocument, TRPC_PATH } from '@lockstep/contract';
import { type Database, openDatabase } from '@lockstep/db';
import { initContract } from '@ts-rest/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { client, createKey, openFeed, request, startTestServer, type TestServer, tempDirs } from './testing.js';
import { UsageLedger } from './usage/usage-ledger.js';

const tempDir = tempDirs();
const asVersion = (version: string) => ({ headers: { 'x-contract-version': version } });

/** The ledger as an admin key reads it. */
async function ledgerOf(server: TestServer, token: string, query = ''): Promise<ContractUsage> {
  const answer = await client(server, token)('GET', `/contract/usage${query}`);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('cache-control')).toBe('private, no-store');
  return ContractUsageSchema.parse(answer.body);
}

const countOf = (usage: ContractUsage, version: string, route: string) =>
  usage.consumers.find((consumer) => consumer.version === version)?.routes.find((entry) => entry.route === route)
    ?.count ?? 0;

describe('the usage ledger of a server', () => {
  let server: TestServer;
  let admin: string;
  let reader: string;

  beforeAll(async () => {
    // Counts reach the database only when read or at shutdown, so every figure below is exact.
    server = await startTestServer(undefined, { USAGE_FLUSH_MS: '3600000' });
    ({ token: admin } = await createKey(server, ['read', 'admin']));
    ({ token: reader } = await createKey(server, ['read', 'write']));
  });
  afterAll(() => server.dispose());

  it('answers an admin key only, and refuses a since that is not one', async () => {
    const call = (token?: string, query = '') => client(server, token)('GET', `/contract/usage${query}`);
    expect((await call()).status).toBe(401);
    const forbidden = await call(reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('scope="admin"');
    const bad = await call(admin, '?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(admin, '?since=30d&extra=1')).status).toBe(400);
  });

  it('counts each REST call, tRPC call and feed opened under its contract route, per consumer version', async () => {
    const api = client(server);
    for (let n = 0; n < 3; n += 1) expect((await api('GET', '/todos/1', asVersion('0.9.0'))).status).toBe(200);
    // A refused or failed call is a use of the route all the same.
    expect((await api('GET', '/todos/999999', asVersion('0.9.0'))).status).toBe(404);
    expect((await api('POST', '/todos', { ...asVersion('0.9.0'), json: { userId: 1, title: 'counted' } })).status).toBe(
      201,
    );
    expect((await api('GET', '/users?limit=2', asVersion('1.0.0'))).status).toBe(200);
    expect((await api('GET', '/users/1', asVersion('not a version'))).status).toBe(200);
    expect((await api('GET', '/users/2')).status).toBe(200);
    // tRPC: one call, then a batch of two; each call counts under the route it shares with REST.
    const input = encodeURIComponent(JSON.stringify({ params: { id: 1 } }));
    expect((await api('GET', `${TRPC_PATH}/todos.get?input=${input}`, asVersion('1.0.0'))).status).toBe(200);
    const batch = encodeURIComponent(JSON.stringify({ 0: { params: { id: 2 } }, 1: { params: { id: 3 } } }));
    expect(
      (await api('GET', `${TRPC_PATH}/todos.get,users.get?batch=1&input=${batch}`, asVersion('1.0.0'))).status,
    ).toBe(200);
    const feed = await openFeed(`${server.url}/todos/changes`, asVersion('1.0.0').headers);
    await feed.close();

    const usage = await ledgerOf(server, admin);
    expect(countOf(usage, '0.9.0', 'GET /todos/:id')).toBe(4);
    expect(countOf(usage, '0.9.0', 'POST /todos')).toBe(1);
    expect(countOf(usage, '1.0.0', 'GET /users')).toBe(1);
    expect(countOf(usage, '1.0.0', 'GET /todos/:id')).toBe(2);
    expect(countOf(usage, '1.0.0', 'GET /users/:id')).toBe(1);
    expect(countOf(usage, '1.0.0', 'GET /todos/changes')).toBe(1);
    expect(countOf(usage, 'unknown', 'GET /users/:id')).toBe(2);
    // Never a raw path or id, and the ledger's own reads are not contract routes.
    const routes = usage.consumers.flatMap((consumer) => consumer.routes.map((entry) => entry.route));
    expect(routes.every((route) => /^[A-Z]+ \/[a-z/:A-Z]*$/.test(route) && !/\d/.test(route))).toBe(true);
    expect(routes).not.toContain('GET /contract/usage');
    const older = usage.consumers.find((consumer) => consumer.version === '0.9.0');
    expect(older?.count).toBe(5);
    expect(Date.parse(older?.lastSeen ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(usage.consumers.map((consumer) => consumer.version)).toEqual(['0.9.0', '1.0.0', 'unknown']);
  });

  it('answers a window: days before since are left out, days past retention never shown', async () => {
    const db = await openDatabase(server.databaseUrl);
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    try {
      await db.write
        .insertInto('contract_usage')
        .values([
          { consumerVersion: '0.8.0', route: 'GET /todos', day: daysAgo(60), count: 5n, lastSeen: new Date() },
          { consumerVersion: '0.7.0', route: 'GET /todos', day: daysAgo(200), count: 5n, lastSeen: new Date() },
        ])
        .execute();
    } finally {
      await db.close();
    }
    const whole = await ledgerOf(server, admin);
    expect(whole.since).toBe(daysAgo(89));
    expect(countOf(whole, '0.8.0', 'GET /todos')).toBe(5);
    expect(countOf(whole, '0.7.0', 'GET /todos')).toBe(0);
    const lastMonth = await ledgerOf(server, admin, '?since=30d');
    expect(lastMonth.since).toBe(daysAgo(30));
    expect(lastMonth.consumers.map((consumer) => consumer.version)).not.toContain('0.8.0');
    expect((await ledgerOf(server, admin, `?since=${daysAgo(61)}`)).consumers.map((c) => c.version)).toContain('0.8.0');
  });
});

describe('the deploy gate reading a server’s ledger (pnpm contract:check --usage-from)', () => {
  const gate = fileURLToPath(new URL('../../../packages/contract/scripts/check-contract.mjs', import.meta.url));
  const run = promisify(execFile);
  let server: TestServer;
  let admin: string;
  let dir: string;
  const c = initContract();
  // The released fixture: three of the API's routes, one deprecated with a sunset that has passed.
  const sunsetPassed = { since: '2026-01-01', sunset: '2026-03-01', link: 'https://example.com/users-v2' };
  const released = c.router({
    todos: c.router({ get: contract.todos.get }),
    users: c.router({
      get: contract.users.get,
      list: { ...contract.users.list, metadata: { access: 'public', deprecated: sunsetPassed } },
    }),
  });
  const removing = (resource: 'todos' | 'users', route: 'get' | 'list') => {
    const { [route]: _removed, ...rest } = released[resource] as Record<string, unknown>;
    return openApiDocument({}, c.router({ ...released, [resource]: rest } as typeof released));
  };
  /** The gate as CI runs it: exit code and JSON report. */
  async function check(current: object, ...extra: string[]) {
    const currentFile = join(dir, `current-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(currentFile, JSON.stringify(current));
    const args = [gate, '--released', join(dir, 'released.json'), '--current', currentFile, ...extra];
    try {
      const { stdout } = await run(process.execPath, args);
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  const usageFrom = () => ['--usage-from', server.url, '--key', admin, '--window', '30d'];

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'released.json'), JSON.stringify(openApiDocument({}, released)));
    server = await startTestServer(undefined, { USAGE_FLUSH_MS: '3600000' });
    ({ token: admin } = await createKey(server, ['admin']));
    // Consumer 0.9.0 reads todos and lists users; nobody reads a user by id.
    expect((await request(server.url, 'GET', '/todos/1', asVersion('0.9.0'))).status).toBe(200);
    expect((await request(server.url, 'GET', '/users', asVersion('0.9.0'))).status).toBe(200);
  });
  afterAll(() => server.dispose());

  it('refuses removing a route a consumer used, naming the consumer version (exit 1)', async () => {
    const result = await check(removing('todos', 'get'), ...usageFrom(), '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ allowed: false, blocking: 1, window: '30d', consumersSeen: ['0.9.0'] });
    const removal = report.changes.find((change: { kind: string }) => change.kind === 'breaking');
    expect(removal).toMatchObject({
      route: 'GET /todos/:id',
      verdict: 'used',
      consumers: [{ version: '0.9.0', count: 1 }],
    });
    const text = await check(removing('todos', 'get'), ...usageFrom());
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('consumer 0.9.0: 1 request(s)');
    expect(text.stderr).toContain('fall on routes consumers used in the last 30d: refused');
  });

  it('allows removing a route nobody used, with the report (exit 0)', async () => {
    const result = await check(removing('users', 'get'), ...usageFrom());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('allowed: no consumer used it in the window');
    expect(result.stdout).toContain('Consumers seen since');
    expect(result.stdout).toMatch(/Consumers seen since \d{4}-\d{2}-\d{2}: 0\.9\.0\./);
  });

  it('allows removing a deprecated route after its sunset, used or not (exit 0)', async () => {
    const result = await check(removing('users', 'list'), ...usageFrom(), '--json');
    expect(result.code).toBe(0);
    const removal = JSON.parse(result.stdout).changes.find((change: { kind: string }) => change.kind === 'breaking');
    expect(removal).toMatchObject({ verdict: 'past-sunset', sunset: '2026-03-01', consumers: [{ version: '0.9.0' }] });
    // Without a ledger, the sunset alone allows it; the unused removal then needs the version rule.
    expect((await check(removing('users', 'list'))).code).toBe(0);
    const unchecked = await check(removing('users', 'get'));
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toContain('Breaking changes need a new minor version');
  });

  it('cannot run without an admin key, with one the server refuses, or without a document (exit 2)', async () => {
    const noKey = await check(removing('users', 'get'), '--usage-from', server.url);
    expect(noKey).toMatchObject({ code: 2, stderr: expect.stringContaining('needs an admin API key') });
    const { token } = await createKey(server, ['read']);
    const refused = await check(removing('users', 'get'), '--usage-from', server.url, '--key', token);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('answered 403') });
    const badWindow = await check(removing('users', 'get'), ...usageFrom().slice(0, 4), '--window', 'a month');
    expect(badWindow).toMatchObject({ code: 2, stderr: expect.stringContaining('--window takes a number of days') });
    const missing = await check(removing('users', 'get'), '--released', join(dir, 'missing.json'));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('Could not read') });
  });
});

describe('UsageLedger', () => {
  let server: TestServer;
  let db: Database;
  const logger = createLogger({ logLevel: 'silent' });
  const rows = () =>
    db.read
      .selectFrom('contract_usage')
      .selectAll()
      .orderBy('day')
      .orderBy('consumerVersion')
      .orderBy('route')
      .execute();

  beforeAll(async () => {
    server = await startTestServer(undefined, { USAGE_RETENTION_DAYS: '0' });
    db = await openDatabase(server.databaseUrl);
  });
  afterAll(async () => {
    await db.close();
    await server.dispose();
  });

  it('is off with USAGE_RETENTION_DAYS=0: nothing counted, no ledger to read', async () => {
    const { token } = await createKey(server, ['admin']);
    expect((await request(server.url, 'GET', '/todos/1', asVersion('0.9.0'))).status).toBe(200);
    expect((await client(server, token)('GET', '/contract/usage')).status).toBe(404);
    expect(await rows()).toEqual([]);
  });

  it('keeps what a failed write could not add, and adds it with the next', async () => {
    const ledger = new UsageLedger(db, { retentionDays: 90, flushMs: 3_600_000, logger });
    ledger.record('0.9.0', 'GET /todos/:id');
    ledger.record('0.9.0', 'GET /todos/:id');
    await sql`ALTER TABLE contract_usage RENAME TO contract_usage_away`.execute(db.write);
    try {
      await expect(ledger.flush()).rejects.toThrow();
      ledger.record('0.9.0', 'GET /todos/:id');
    } finally {
      await sql`ALTER TABLE contract_usage_away RENAME TO contract_usage`.execute(db.write);
    }
    await ledger.flush();
    ledger.record('0.9.0', 'GET /todos/:id');
    await ledger.close();
    expect((await rows()).map((row) => [row.consumerVersion, row.route, Number(row.count)])).toEqual([
      ['0.9.0', 'GET /todos/:id', 4],
    ]);
    await db.write.deleteFrom('contract_usage').execute();
  });

  it('turns the day at UTC midnight and sweeps days past retention', async () => {
    let now = Date.parse('2026-12-06T23:59:59.000Z');
    const ledger = new UsageLedger(db, { retentionDays: 2, flushMs: 3_600_000, logger, now: () => now });
    await db.write
      .insertInto('contract_usage')
      .values({ consumerVersion: '0.1.0', route: 'GET /users', day: '2026-12-05', count: 1n, lastSeen: new Date(now) })
      .execute();
    ledger.record('1.0.0', 'GET /users');
    now += 2_000;
    ledger.record('1.0.0', 'GET /users');
    ledger.record('1.0.0', 'GET /users');
    await ledger.flush();
    // Retention 2 days on 7 December keeps the 6th and the 7th: the 5th is swept.
    expect(
      (await rows()).map((row) => [row.day, row.consumerVersion, Number(row.count), row.lastSeen.toISOString()]),
    ).toEqual([
      ['2026-12-06', '1.0.0', 1, '2026-12-06T23:59:59.000Z'],
      ['2026-12-07', '1.0.0', 2, '2026-12-07T00:00:01.000Z'],
    ]);
    const report = await ledger.report(undefined);
    expect(report.since).toBe('2026-12-06');
    expect(report.consumers).toEqual([
      {
        version: '1.0.0',
        count: 3,
        lastSeen: '2026-12-07T00:00:01.000Z',
        routes: [{ route: 'GET /users', count: 3, lastSeen: '2026-12-07T00:00:01.000Z' }],
      },
    ]);
    await ledger.close();
    await db.write.deleteFrom('contract_usage').execute();
  });

  it('names at most 200 consumers a day; any later one counts as unknown', async () => {
    const ledger = new UsageLedger(db, { retentionDays: 90, flushMs: 3_600_000, logger });
    for (let n = 0; n < 250; n += 1) ledger.record(`1.0.${n}`, 'GET /todos');
    await ledger.close();
    const stored = await rows();
    expect(stored).toHaveLength(201);
    expect(stored.find((row) => row.consumerVersion === 'unknown')?.count).toBe(50n);
    await db.write.deleteFrom('contract_usage').execute();
  });
});
