/**
 * Two server processes on one SQLite file, as on one machine behind a proxy. Each reads outside
 * transactions on a read-only connection of its own and writes on its writer connection (see
 * @lockstep/db): what one acknowledges, the other must read at once, and item writes racing from
 * both must still be judged against the row as it is.
 */
import { join } from 'node:path';
import { openDatabase } from '@lockstep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from './auth/api-keys.js';
import { type ServerProcess, startServerProcess } from './testing/server-process.js';
import {
  client,
  createKey,
  expectChangesReachEveryInstance,
  expectConcurrentPatchesMerge,
  tempDirs,
} from './testing.js';

const tempDir = tempDirs();
let instances: ServerProcess[] = [];
let url: string;

beforeAll(async () => {
  url = `file:${join(await tempDir(), 'shared.db')}`;
  // The first migrates and seeds the new file; the second then opens it as it is.
  instances = [await startServerProcess(url, { NODE_ENV: 'test' })];
  instances.push(await startServerProcess(url, { NODE_ENV: 'test' }));
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
});

const on = (index: number, token?: string) => client({ url: instances[index % instances.length]?.base ?? '' }, token);

describe('two instances on one SQLite file', () => {
  it('read at once what the other acknowledged: a create, an update, a delete', async () => {
    const created = await on(0)('POST', '/todos', { json: { userId: 1, title: 'from the first' } });
    expect(created.status).toBe(201);
    const path = `/todos/${(created.body as { id: number }).id}`;
    expect((await on(1)('GET', path)).body).toEqual(created.body);

    const before = await on(1)('GET', path);
    const updated = await on(0)('PATCH', path, { json: { completed: true } });
    const after = await on(1)('GET', path, { headers: { 'if-none-match': before.headers.get('etag') ?? '' } });
    expect(after.status).toBe(200);
    expect(after.body).toEqual(updated.body);
    expect(after.headers.get('etag')).toBe(updated.headers.get('etag'));

    expect((await on(1)('DELETE', path)).status).toBe(200);
    expect((await on(0)('GET', path)).status).toBe(404);
  });

  it('serve no page, owned row or key they read before the other’s write: each read again shows it', async () => {
    const page = '/todos?userId=4&limit=100';
    const titles = async (n: number) => ((await on(n)('GET', page)).body as { title: string }[]).map((t) => t.title);
    const before = await titles(1);
    await on(0)('POST', '/todos', { json: { userId: 4, title: 'listed at once' } });
    expect(await titles(1)).toEqual([...before, 'listed at once']);

    const { token, keyId } = await createKey({ databaseUrl: url });
    const created = await on(0, token)('POST', '/transactions', {
      json: { amount: 100, currency: 'EUR', occurredAt: '2026-12-01T10:00:00Z' },
    });
    const path = `/transactions/${(created.body as { id: number }).id}`;
    expect((await on(1, token)('GET', path)).body).toEqual(created.body);
    expect((await on(1, token)('GET', '/transactions')).body).toEqual([created.body]);
    const patched = await on(0, token)('PATCH', path, { json: { amount: 250 } });
    expect((await on(1, token)('GET', path)).body).toEqual(patched.body);
    expect((await on(1, token)('GET', '/transactions')).body).toEqual([patched.body]);

    // Revoked by an operator's process beside both: neither accepts the key it just accepted.
    const db = await openDatabase(url);
    try {
      expect(await new AuthService(db).revokeKey(keyId)).toBe(true);
    } finally {
      await db.close();
    }
    expect((await on(0, token)('GET', path)).status).toBe(401);
    expect((await on(1, token)('GET', path)).status).toBe(401);
  });

  it('judge racing writes from both against the row as it is: one If-Match wins, no member is lost', async () => {
    const etag = (await on(0)('GET', '/todos/11')).headers.get('etag') ?? '';
    const conditional = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        on(n)('PATCH', '/todos/11', { json: { title: `writer ${n}` }, headers: { 'if-match': etag } }),
      ),
    );
    expect(conditional.map((answer) => answer.status).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);

    await expectConcurrentPatchesMerge(on, 6);
  });

  it("change feeds: a write in one process reaches the other's subscriber (the file's data version), and resumes there", async () => {
    const { token } = await createKey({ databaseUrl: url });
    await expectChangesReachEveryInstance(
      instances.map((instance) => instance.base),
      token,
    );
  });
});
