/**
 * Two server processes on one SQLite file, as on one machine behind a proxy. Each reads outside
 * transactions on a read-only connection of its own (`CommittedReads` in @lockstep/db) and writes
 * through Prisma's: what one acknowledges, the other must read at once, and item writes racing
 * from both must still be judged against the row as it is.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './bench/server-process.js';
import { client, expectConcurrentPatchesMerge, tempDirs } from './testing.js';

const tempDir = tempDirs();
let instances: ServerProcess[] = [];

beforeAll(async () => {
  const url = `file:${join(await tempDir(), 'shared.db')}`;
  // The first migrates and seeds the new file; the second then opens it as it is.
  instances = [await startServerProcess(url, { NODE_ENV: 'test' })];
  instances.push(await startServerProcess(url, { NODE_ENV: 'test' }));
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
});

const on = (index: number) => client({ url: instances[index % instances.length]?.base ?? '' });

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
});
