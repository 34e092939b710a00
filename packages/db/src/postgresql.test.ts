import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain build script, no typings
import { postgresqlSchema } from '../scripts/postgresql-schema.mjs';
import { type Database, openDatabase, retryingTransaction } from './database.js';
import { createMigration, openMigratedDatabase, pendingMigrations } from './migrate.js';
import { ENGINE_FILES, schemaPath } from './paths.js';
import { ensurePostgresqlDatabase, throwawayPostgresqlDatabase } from './postgresql.js';
import { openSeededPostgresql } from './testing.js';

// Every database here is a new one on the local PostgreSQL, dropped after the file's tests.
const made: Array<() => Promise<void>> = [];
const freshUrl = () => {
  const { url, drop } = throwawayPostgresqlDatabase('lockstep_db_test');
  made.push(drop);
  return url;
};
afterAll(async () => {
  for (const drop of made) await drop();
});

async function using<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/** A new database, migrated and seeded, for `work`; dropped afterwards. */
async function withFreshDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const { db, dispose } = await openSeededPostgresql();
  try {
    return await work(db);
  } finally {
    await dispose();
  }
}

/**
 * Where concurrent transactions wait for one another: `arrive()` resolves once `count` have
 * arrived, or after `patienceMs` (a transaction held up by a lock never arrives in time).
 */
function meetingPoint(count: number, patienceMs: number): () => Promise<void> {
  let arrived = 0;
  let everyone: () => void = () => {};
  const met = new Promise<void>((resolve) => {
    everyone = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= count) everyone();
    return Promise.race([met, new Promise<void>((resolve) => setTimeout(resolve, patienceMs))]);
  };
}

describe('PostgreSQL', () => {
  it('is prepared like SQLite: database created, migrations applied and recorded, seeded, next todo 201', async () => {
    const url = freshUrl();
    const first = await openMigratedDatabase({ url, seed: true });
    try {
      expect(first.applied.length).toBeGreaterThan(0);
      expect(first.seed).toEqual({ seeded: true, users: 10, todos: 200 });
      expect(await pendingMigrations(first.db)).toEqual([]);
      const todo = await first.db.todo.findUnique({ where: { id: 1 }, select: { title: true, completed: true } });
      expect(todo).toEqual({ title: 'delectus aut autem', completed: false });
      // Seeded with explicit ids; the sequence was moved past them.
      expect((await first.db.todo.create({ data: { userId: 1, title: 'next' } })).id).toBe(201);
      expect((await first.db.user.create({ data: { name: 'next' } })).id).toBe(11);
    } finally {
      await first.db.$disconnect();
    }
    const again = await openMigratedDatabase({ url, seed: true });
    await again.db.$disconnect();
    expect(again.applied).toEqual([]);
    expect(again.seed).toEqual({ seeded: false, users: 0, todos: 0 });
  });

  it('lets three preparations started at once on an empty database migrate and seed exactly once', async () => {
    const url = freshUrl();
    const results = await Promise.all([1, 2, 3].map(() => openMigratedDatabase({ url, seed: true })));
    for (const { db } of results) await db.$disconnect();
    expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);
    expect(results.filter((result) => result.seed?.seeded)).toHaveLength(1);
    await using(url, async (db) => {
      expect(await db.user.count()).toBe(10);
      expect(await db.todo.count()).toBe(200);
    });
  });

  it('creates a missing database once, whoever asks first', async () => {
    const url = freshUrl();
    const created = await Promise.all([1, 2, 3].map(() => ensurePostgresqlDatabase(url)));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await ensurePostgresqlDatabase(url)).toBe(false);
  });

  it('sorts text byte by byte, as SQLite does, not by the server locale', async () => {
    const pgUrl = freshUrl();
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-db-collation-'));
    try {
      const titles = ['b', 'C', 'a', 'B', 'é', 'e', '_'];
      const sorted: string[][] = [];
      for (const url of [pgUrl, `file:${join(dir, 'c.db')}`]) {
        const { db } = await openMigratedDatabase({ url, seed: true });
        try {
          await db.todo.createMany({ data: titles.map((title) => ({ userId: 2, title })) });
          const rows = await db.todo.findMany({
            where: { userId: 2, title: { in: titles } },
            orderBy: [{ title: 'asc' }, { id: 'asc' }],
          });
          sorted.push(rows.map((row) => row.title));
          // Comparisons agree with the order (keyset cursors rely on it).
          expect((await db.todo.findMany({ where: { userId: 2, title: { in: titles, gt: 'Z' } } })).length).toBe(5);
        } finally {
          await db.$disconnect();
        }
      }
      expect(sorted[0]).toEqual(['B', 'C', '_', 'a', 'b', 'e', 'é']);
      expect(sorted[1]).toEqual(sorted[0]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps JSON members in the order they were written (json, not jsonb)', () =>
    withFreshDatabase(async (db) => {
      const address = { street: 'S', suite: 'Apt. 1', city: 'C', zipcode: '1', geo: { lat: '1', lng: '2' } };
      const user = await db.user.create({ data: { name: 'order', address } });
      const read = await db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(JSON.stringify(read.address)).toBe(JSON.stringify(address));
    }));

  it('applies one of two writes conditional on the same version: the other matches no row', () =>
    withFreshDatabase(async (db) => {
      const event = await db.event.create({ data: { ownerId: 'o', name: 'n', startsAt: new Date(), capacity: 0 } });
      // Both read version 1, then both write on condition that it is still 1 (as item writes
      // do): READ COMMITTED re-checks the condition once the first has committed.
      const bothRead = meetingPoint(2, 500);
      const increment = async () => {
        const { capacity, version } = await db.event.findUniqueOrThrow({ where: { id: event.id } });
        await bothRead();
        return (
          await db.event.updateMany({
            where: { id: event.id, version },
            data: { capacity: (capacity ?? 0) + 1, version: { increment: 1 } },
          })
        ).count;
      };
      expect((await Promise.all([increment(), increment()])).sort()).toEqual([0, 1]);
      expect(await db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ capacity: 1, version: 2 });
    }));

  it('lets two transactions take the last seat of an event one after the other: one is refused', () =>
    withFreshDatabase(async (db) => {
      const event = await db.event.create({ data: { ownerId: 'o', name: 'n', startsAt: new Date(), capacity: 1 } });
      // Each claims the event (bumps its version, which locks the row), counts its guests, then
      // adds one: only the claim keeps the second from counting before the first commits.
      const bothCounted = meetingPoint(2, 1_000);
      const takeSeat = (email: string) =>
        retryingTransaction(db, async (tx) => {
          await tx.event.updateMany({ where: { id: event.id }, data: { version: { increment: 1 } } });
          const taken = await tx.guest.count({ where: { eventId: event.id } });
          await bothCounted();
          if (taken >= 1) throw new Error('full');
          await tx.guest.create({ data: { eventId: event.id, name: email, email } });
        });
      const results = await Promise.allSettled([takeSeat('a@example.com'), takeSeat('b@example.com')]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as Error).message).toBe('full');
      expect(await db.guest.count({ where: { eventId: event.id } })).toBe(1);
    }));
});

describe('the PostgreSQL schema and migrations', () => {
  it('are derived from the SQLite schema: same models, provider and JSON columns changed', async () => {
    const derived = await readFile(ENGINE_FILES.postgresql.schemaPath, 'utf8');
    expect(derived).toBe(postgresqlSchema(await readFile(schemaPath, 'utf8')));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toMatch(/address\s+Json\? @db\.Json/);
  });

  it('hold every change of the schema (a schema change without its PostgreSQL migration fails here)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockstep-db-pg-migrations-'));
    try {
      const copy = join(dir, 'migrations');
      await cp(ENGINE_FILES.postgresql.migrationsDir, copy, { recursive: true });
      expect(await createMigration('noop', { engine: 'postgresql', migrationsDir: copy })).toEqual({
        name: null,
        sql: null,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
