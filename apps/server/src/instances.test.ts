/**
 * Several identical instances on one PostgreSQL database and one Redis, as behind a load
 * balancer: three server processes started at once on an empty database, then requests spread
 * over them.
 * Every promise of the HTTP contract must hold whichever instance answers.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '@lockstep/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './testing/server-process.js';
import {
  client,
  createKey,
  expectChangesReachEveryInstance,
  expectConcurrentPatchesMerge,
  throwawayPostgresqlUrl,
} from './testing.js';

const keysCli = fileURLToPath(new URL('../dist/keys-cli.js', import.meta.url));
const database = throwawayPostgresqlUrl();
/** Anonymous calls are limited, counted in the machine's Redis under a prefix of this run's own. */
const ANONYMOUS_PER_MINUTE = 6;
const environment = {
  NODE_ENV: 'test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `lockstep-instances-${process.pid}-${Date.now()}`,
  RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_PER_MINUTE),
};
let instances: ServerProcess[] = [];
let token: string;
let keyId: string;

beforeAll(async () => {
  // All three at once on a database that does not exist yet: one creates, migrates and seeds it.
  instances = await Promise.all([1, 2, 3].map(() => startServerProcess(database.url, environment)));
  ({ token, keyId } = await createKey({ databaseUrl: database.url }));
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await database.drop();
});

const on = (index: number) => client({ url: instances[index % instances.length]?.base ?? '' }, token);

describe('three instances on one PostgreSQL database', () => {
  it('started together on an empty database: migrated once, seeded once', async () => {
    const db = await openDatabase(database.url);
    try {
      // Prisma Migrate's own table, outside the schema's types.
      const { rows: migrations } = await sql<{ migration_name: string; n: number }>`
        SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name
      `.execute(db.read);
      expect(migrations.length).toBeGreaterThan(0);
      expect(migrations.every((row) => row.n === 1)).toBe(true);
      expect(await db.read.selectFrom('users').select('id').execute()).toHaveLength(10);
    } finally {
      await db.close();
    }
    for (let i = 0; i < 3; i += 1) {
      expect((await on(i)('GET', '/todos/1')).body).toEqual({
        userId: 1,
        id: 1,
        title: 'delectus aut autem',
        completed: false,
      });
    }
  });

  it('one Idempotency-Key sent to all three at once: one row; the others replay it or answer 409', async () => {
    const body = { amount: 1234, currency: 'EUR', description: 'once', occurredAt: '2026-12-01T10:00:00.000Z' };
    const headers = { 'idempotency-key': `spread-${Date.now()}` };
    const answers = await Promise.all(
      [0, 1, 2, 0, 1, 2].map((index) => on(index)('POST', '/transactions', { json: body, headers })),
    );
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    const createdOnes = answers.filter((answer) => answer.status === 201);
    expect(createdOnes.length).toBeGreaterThan(0);
    // Every 201 is the same transaction: the first, or a replay of it.
    const ids = new Set(createdOnes.map((answer) => (answer.body as { id: number }).id));
    expect(ids.size).toBe(1);
    expect(createdOnes.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const list = await on(0)('GET', '/transactions?limit=1000');
    expect((list.body as Array<{ description: string }>).filter((row) => row.description === 'once')).toHaveLength(1);
    // Once it is done, every instance replays it.
    for (let i = 0; i < 3; i += 1) {
      const replay = await on(i)('POST', '/transactions', { json: body, headers });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect([...ids]).toContain((replay.body as { id: number }).id);
    }
  });

  it('concurrent If-Match updates spread over the instances: exactly one succeeds, the rest 412', async () => {
    const read = await on(0)('GET', '/todos/7');
    const etag = read.headers.get('etag') ?? '';
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, n) =>
        on(n)('PATCH', '/todos/7', { json: { title: `writer ${n}` }, headers: { 'if-match': etag } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412]);
    const winner = answers.find((answer) => answer.status === 200)?.body;
    // Whichever instance is asked now reads the winner's write (no instance keeps a stale copy).
    for (let i = 0; i < 3; i += 1) expect((await on(i)('GET', '/todos/7')).body).toEqual(winner);
  });

  it('concurrent PATCHes without If-Match spread over the instances: none overwrites another’s member', () =>
    expectConcurrentPatchesMerge(on, 6));

  it('reads its own writes on another instance: a write on one, the new body and ETag on the others', async () => {
    const before = await on(1)('GET', '/todos/9');
    const written = await on(0)('PUT', '/todos/9', { json: { userId: 1, title: 'moved on', completed: true } });
    expect(written.status).toBe(200);
    for (const index of [1, 2]) {
      const after = await on(index)('GET', '/todos/9', {
        headers: { 'if-none-match': before.headers.get('etag') ?? '' },
      });
      expect(after.status).toBe(200);
      expect(after.body).toEqual(written.body);
      expect(after.headers.get('etag')).toBe(written.headers.get('etag'));
    }
  });

  it('pages through a list across instances: every row exactly once', async () => {
    const seen: number[] = [];
    let path: string | undefined = '/todos?limit=37';
    for (let page = 0; path; page += 1) {
      const answer = await on(page)('GET', path);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body as Array<{ id: number }>).map((todo) => todo.id));
      path = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toHaveLength(new Set(seen).size);
    const db = await openDatabase(database.url);
    try {
      expect(seen.sort((a, b) => a - b)).toEqual(
        (await db.read.selectFrom('todos').select('id').orderBy('id').execute()).map((row) => row.id),
      );
    } finally {
      await db.close();
    }
  });

  it('share one rate limit: what one instance allows, the three allow together', async () => {
    const anonymous = (index: number) => client({ url: instances[index % 3]?.base ?? '' })('GET', '/todos/2');
    const statuses: number[] = [];
    for (let n = 0; n < ANONYMOUS_PER_MINUTE; n += 1) statuses.push((await anonymous(n)).status);
    expect(statuses).toEqual(Array(ANONYMOUS_PER_MINUTE).fill(200));
    for (let i = 0; i < 3; i += 1) {
      const refused = await anonymous(i);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=\d+$/);
    }
  });

  it('change feeds: a write on any instance reaches a subscriber of another (LISTEN/NOTIFY), and resumes there', async () => {
    await expectChangesReachEveryInstance(
      instances.map((instance) => instance.base),
      token,
    );
  });

  it('a key revoked with keys:revoke answers 401 on every instance at once (keys are not cached)', async () => {
    for (let i = 0; i < 3; i += 1) expect((await on(i)('GET', '/transactions')).status).toBe(200);
    const { stdout } = await promisify(execFile)(process.execPath, [keysCli, 'revoke', '--id', keyId], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    expect(stdout).toContain(keyId);
    for (let i = 0; i < 3; i += 1) {
      const answer = await on(i)('GET', '/transactions');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});
