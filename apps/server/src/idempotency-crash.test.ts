/**
 * Exactly-once through crashes. An idempotent POST's writes and the record of its response commit
 * together, so whatever moment the process dies at, a retry either replays the response or runs a
 * request that never took effect. Both tests run the built server as a process and kill it with
 * SIGKILL: once at the worst moment (after the commit, before the response), via a failpoint; then
 * at seeded random moments under concurrent writers.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openMigratedDatabase } from '@lockstep/db';
import { describe, expect, it } from 'vitest';
import { AuthService } from './auth/api-keys.js';
import { freePort, startServerProcess } from './testing/server-process.js';
import { rawRequest, tempDirs, testDatabaseUrl } from './testing.js';

const post = (port: number, token: string, key: string, body: object) =>
  rawRequest({
    port,
    method: 'POST',
    path: '/transactions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });

const transaction = (key: string) => ({
  amount: 100,
  currency: 'EUR',
  description: key,
  occurredAt: '2026-11-25T10:00:00Z',
});

/** The built server on `port`, with the failpoints named (none by default). */
const start = async (port: number, database: string, failpoints = '') =>
  (await startServerProcess(database, { LOG_LEVEL: 'silent', LOCKSTEP_FAILPOINTS: failpoints }, { port })).child;

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/** A database with one key, and a way to count the rows a key's POST left. */
async function prepare(dir: string) {
  const database = await testDatabaseUrl(dir);
  const { db } = await openMigratedDatabase({ url: database });
  const { token } = await new AuthService(db).createKey({ name: 'crash', scopes: ['read', 'write'] });
  const rowsPerKey = async () => {
    const rows = await db.read
      .selectFrom('transactions')
      .select((eb) => ['description', eb.fn.countAll<number | bigint>().as('count')])
      .groupBy('description')
      .execute();
    return new Map(rows.map((row) => [row.description, Number(row.count)]));
  };
  return { database, token, rowsPerKey, close: () => db.close() };
}

/** A seeded generator (mulberry32), so a failing run can be replayed exactly. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tempDir = tempDirs();

describe('Idempotency-Key through kill -9', () => {
  it('a crash after the commit, before the response: the retry replays it, and there is one row', async () => {
    const dir = await tempDir();
    const { database, token, rowsPerKey, close } = await prepare(dir);
    try {
      const port = await freePort();
      const doomed = await start(port, database, 'crash-after-idempotent-commit');
      await expect(post(port, token, 'crash-1', transaction('crash-1'))).rejects.toThrow();
      await once(doomed, 'exit');
      expect(doomed.signalCode).toBe('SIGKILL');
      expect((await rowsPerKey()).get('crash-1')).toBe(1);

      const restarted = await start(port, database);
      try {
        const retry = await post(port, token, 'crash-1', transaction('crash-1'));
        expect(retry.status).toBe(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(retry.headers.location).toBe(`/transactions/${(JSON.parse(retry.body) as { id: number }).id}`);
        expect((await rowsPerKey()).get('crash-1')).toBe(1);
      } finally {
        await kill(restarted);
      }
    } finally {
      await close();
    }
  }, 30_000);

  it('random kills under concurrent writers: every key acknowledged, none lost, none twice', async () => {
    const dir = await tempDir();
    const { database, token, rowsPerKey, close } = await prepare(dir);
    const next = random(20261125);
    const port = await freePort();
    let server = await start(port, database);
    const WRITERS = 8;
    const KEYS_PER_WRITER = 15;
    try {
      let writing = true;
      let acknowledged = 0;
      const writer = async (w: number) => {
        for (let k = 0; k < KEYS_PER_WRITER; k += 1) {
          const key = `w${w}-k${k}`;
          // Retry the same key and body until it is acknowledged, as a client must.
          for (;;) {
            const answer = await post(port, token, key, transaction(key)).catch(() => undefined);
            if (answer?.status === 201) {
              acknowledged += 1;
              break;
            }
            if (answer && answer.status !== 409) throw new Error(`${key}: ${answer.status} ${answer.body}`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w))).finally(() => {
        writing = false;
      });
      // Four kills, each once the writers have made progress since the last restart (so a slow
      // or fast machine sees the same story), at a seeded random moment within the next 40 ms.
      const KILLS = 4;
      let kills = 0;
      while (writing && kills < KILLS) {
        const progress = acknowledged + 12;
        while (writing && acknowledged < progress) await new Promise((resolve) => setTimeout(resolve, 2));
        if (!writing) break;
        await new Promise((resolve) => setTimeout(resolve, next() * 40));
        await kill(server);
        kills += 1;
        server = await start(port, database);
      }
      await writers;
      expect(kills).toBe(KILLS);

      const rows = await rowsPerKey();
      const expected = Array.from(
        { length: WRITERS * KEYS_PER_WRITER },
        (_, i) => `w${Math.floor(i / KEYS_PER_WRITER)}-k${i % KEYS_PER_WRITER}`,
      );
      const wrong = expected.filter((key) => rows.get(key) !== 1).map((key) => `${key}: ${rows.get(key) ?? 0} rows`);
      expect(wrong).toEqual([]);
      expect(rows.size).toBe(expected.length);
    } finally {
      await kill(server);
      await close();
    }
  }, 60_000);
});
