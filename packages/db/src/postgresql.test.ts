import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain build script, no typings
import { postgresqlSchema } from '../scripts/postgresql-schema.mjs';
import { constraintFailure, type DataAccess, type Database, openDatabase } from './database.js';
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
    await db.close();
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

/** An event of owner `o` with this capacity. */
function insertEvent(db: Database, capacity: number) {
  const now = new Date();
  return db.write
    .insertInto('events')
    .values({ ownerId: 'o', name: 'n', startsAt: now, capacity, createdAt: now, updatedAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

describe('PostgreSQL', () => {
  it('is prepared like SQLite: database created, migrations applied and recorded, seeded, next todo 201', async () => {
    const url = freshUrl();
    const first = await openMigratedDatabase({ url, seed: true });
    try {
      expect(first.applied.length).toBeGreaterThan(0);
      expect(first.seed).toEqual({ seeded: true, users: 10, todos: 200 });
      expect(await pendingMigrations(first.db)).toEqual([]);
      const { read, write } = first.db;
      const todo = await read.selectFrom('todos').select(['title', 'completed']).where('id', '=', 1).executeTakeFirst();
      expect(todo).toEqual({ title: 'delectus aut autem', completed: false });
      // Seeded with explicit ids; the sequence was moved past them.
      const now = new Date();
      const stamps = { createdAt: now, updatedAt: now };
      const nextTodo = { userId: 1, title: 'next', ...stamps };
      expect((await write.insertInto('todos').values(nextTodo).returning('id').executeTakeFirstOrThrow()).id).toBe(201);
      const nextUser = { name: 'next', ...stamps };
      expect((await write.insertInto('users').values(nextUser).returning('id').executeTakeFirstOrThrow()).id).toBe(11);
    } finally {
      await first.db.close();
    }
    const again = await openMigratedDatabase({ url, seed: true });
    await again.db.close();
    expect(again.applied).toEqual([]);
    expect(again.seed).toEqual({ seeded: false, users: 0, todos: 0 });
  });

  it('lets three preparations started at once on an empty database migrate and seed exactly once', async () => {
    const url = freshUrl();
    const results = await Promise.all([1, 2, 3].map(() => openMigratedDatabase({ url, seed: true })));
    for (const { db } of results) await db.close();
    expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);
    expect(results.filter((result) => result.seed?.seeded)).toHaveLength(1);
    await using(url, async (db) => {
      expect(await db.read.selectFrom('users').select('id').execute()).toHaveLength(10);
      expect(await db.read.selectFrom('todos').select('id').execute()).toHaveLength(200);
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
          const now = new Date();
          await db.write
            .insertInto('todos')
            .values(titles.map((title) => ({ userId: 2, title, createdAt: now, updatedAt: now })))
            .execute();
          const mine = db.read.selectFrom('todos').select('title').where('userId', '=', 2).where('title', 'in', titles);
          sorted.push((await mine.orderBy('title').orderBy('id').execute()).map((row) => row.title));
          // Comparisons agree with the order (keyset cursors rely on it).
          expect(await mine.where('title', '>', 'Z').execute()).toHaveLength(5);
        } finally {
          await db.close();
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
      const now = new Date();
      const user = await db.write
        .insertInto('users')
        .values({ name: 'order', address: JSON.stringify(address), createdAt: now, updatedAt: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const read = await db.read
        .selectFrom('users')
        .select('address')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(read.address)).toBe(JSON.stringify(address));
    }));

  it('hands over the values the generated types name, as SQLite does, whatever the process time zone', () =>
    withFreshDatabase(async (db) => {
      const occurredAt = new Date('2026-03-04T05:06:07.089Z');
      const row = { ownerId: 'o', amount: 2n ** 60n, currency: 'EUR', description: 'big', occurredAt };
      const inserted = await db.write
        .insertInto('transactions')
        .values({ ...row, createdAt: occurredAt, updatedAt: occurredAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      const read = await db.read
        .selectFrom('transactions')
        .selectAll()
        .where('id', '=', inserted.id)
        .executeTakeFirst();
      for (const each of [inserted, read]) expect(each).toMatchObject({ ...row, version: 1 });
      // Stored as the UTC instant: the server's clock reads it back the same.
      const { rows } = await sql<{ text: string }>`SELECT "occurredAt"::text AS text FROM transactions`.execute(
        db.read,
      );
      expect(rows[0]?.text).toBe('2026-03-04 05:06:07.089');
      const todo = await db.read.selectFrom('todos').select('completed').where('id', '=', 4).executeTakeFirstOrThrow();
      expect(todo.completed).toBe(true);
    }));

  it('tells a broken unique constraint from a dangling reference', () =>
    withFreshDatabase(async (db) => {
      const now = new Date();
      const todo = { userId: 999, title: 'x', createdAt: now, updatedAt: now };
      expect(
        constraintFailure(
          await db.write
            .insertInto('todos')
            .values(todo)
            .execute()
            .catch((e) => e),
        ),
      ).toBe('foreignKey');
      const duplicate = { ...todo, userId: 1, id: 1 };
      expect(
        constraintFailure(
          await db.write
            .insertInto('todos')
            .values(duplicate)
            .execute()
            .catch((e) => e),
        ),
      ).toBe('unique');
    }));

  it('applies one of two writes conditional on the same version: the other matches no row', () =>
    withFreshDatabase(async (db) => {
      const event = await insertEvent(db, 0);
      // Both read version 1, then both write on condition that it is still 1 (as item writes
      // do): READ COMMITTED re-checks the condition once the first has committed.
      const bothRead = meetingPoint(2, 500);
      const increment = async () => {
        const { capacity, version } = await db.read
          .selectFrom('events')
          .select(['capacity', 'version'])
          .where('id', '=', event.id)
          .executeTakeFirstOrThrow();
        await bothRead();
        const { numUpdatedRows } = await db.write
          .updateTable('events')
          .set((eb) => ({ capacity: (capacity ?? 0) + 1, version: eb('version', '+', 1) }))
          .where('id', '=', event.id)
          .where('version', '=', version)
          .executeTakeFirstOrThrow();
        return Number(numUpdatedRows);
      };
      expect((await Promise.all([increment(), increment()])).sort()).toEqual([0, 1]);
      expect(
        await db.read
          .selectFrom('events')
          .select(['capacity', 'version'])
          .where('id', '=', event.id)
          .executeTakeFirst(),
      ).toEqual({ capacity: 1, version: 2 });
    }));

  it('lets two transactions take the last seat of an event one after the other: one is refused', () =>
    withFreshDatabase(async (db) => {
      const event = await insertEvent(db, 1);
      // Each locks the event's row (FOR UPDATE, as the server's lockEvent does), counts its
      // guests, then adds one: only the lock keeps the second from counting before the first commits.
      const bothCounted = meetingPoint(2, 1_000);
      const guests = (access: DataAccess) =>
        access.read.selectFrom('guests').select('id').where('eventId', '=', event.id).execute();
      const takeSeat = (email: string) =>
        db.transaction(async (tx) => {
          await tx.write.selectFrom('events').select('id').where('id', '=', event.id).forUpdate().execute();
          const taken = (await guests(tx)).length;
          await bothCounted();
          if (taken >= 1) throw new Error('full');
          const now = new Date();
          await tx.write
            .insertInto('guests')
            .values({ eventId: event.id, name: email, email, createdAt: now, updatedAt: now })
            .execute();
        });
      const results = await Promise.allSettled([takeSeat('a@example.com'), takeSeat('b@example.com')]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as Error).message).toBe('full');
      expect(await guests(db)).toHaveLength(1);
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
