import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type KyselyPlugin, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { constraintFailure, type DataAccess, type Database, openDatabase } from './database.js';
import {
  applyMigrations,
  createMigration,
  migrateIfPending,
  migrationFolderName,
  pendingMigrations,
} from './migrate.js';
import { migrationsDir, schemaPath } from './paths.js';
import { schemaEngineVersion } from './schema-engine.js';
import { seedIfEmpty } from './seed.js';

const require = createRequire(import.meta.url);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lockstep-db-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Wasm schema engine', () => {
  it('is the build of the installed Prisma engines (same commit hash)', async () => {
    const { enginesVersion } = require('@prisma/engines-version/package.json').prisma as { enginesVersion: string };
    const prismaVersion = (require('prisma/package.json') as { version: string }).version;
    // The Wasm package's exports map hides package.json; read it beside its bindings.
    const wasmDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const wasmPackageVersion = (
      JSON.parse(await readFile(join(wasmDir, 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(wasmPackageVersion.endsWith(enginesVersion)).toBe(true);
    expect(wasmPackageVersion.startsWith(`${prismaVersion}-`)).toBe(true);
    // The running engine reports the commit it was built from.
    const hash = enginesVersion.split('.').at(-1) ?? '';
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    expect(await schemaEngineVersion()).toContain(hash);
  });
});

describe('migrations', () => {
  it('applies the committed migrations once, recording them where prisma migrate deploy does', async () => {
    const url = `file:${join(dir, 'a.db')}`;
    const committed = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(committed.length).toBeGreaterThan(0);
    expect(await applyMigrations({ url })).toEqual(committed.map((e) => e.name).sort());
    expect(await applyMigrations({ url })).toEqual([]);
    const db = await openDatabase(url);
    try {
      const { rows } = await sql<{ migration_name: string; finished_at: string | null }>`
        SELECT migration_name, finished_at FROM _prisma_migrations
      `.execute(db.read);
      expect(rows.map((r) => r.migration_name).sort()).toEqual(committed.map((e) => e.name).sort());
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('starts the engine only when migrations are pending, so it runs beside an open connection', async () => {
    const url = `file:${join(dir, 'p.db')}`;
    const committed = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const fresh = await openDatabase(url);
    expect(await pendingMigrations(fresh)).toEqual(committed.sort());
    await fresh.close();
    expect(await migrateIfPending({ url })).toEqual(committed.sort());
    const open = await openDatabase(url);
    try {
      // The engine would need an exclusive lock, which this open connection prevents.
      await expect(applyMigrations({ url })).rejects.toThrow();
      expect(await pendingMigrations(open)).toEqual([]);
      expect(await migrateIfPending({ url })).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('finds nothing to create when the committed migrations match the schema', async () => {
    const copy = join(dir, 'migrations');
    await cp(migrationsDir, copy, { recursive: true });
    expect(await createMigration('noop', { migrationsDir: copy })).toEqual({ name: null, sql: null });
  });

  it('creates a migration from a schema change, and that migration applies', async () => {
    const copy = join(dir, 'migrations');
    await cp(migrationsDir, copy, { recursive: true });
    const schema = join(dir, 'schema.prisma');
    const text = await readFile(schemaPath, 'utf8');
    await writeFile(schema, text.replace('  website   String?', '  website   String?\n  nickname  String?'));
    const created = await createMigration('add nickname', { migrationsDir: copy, schemaPath: schema });
    expect(created.name).toMatch(/^\d{14}_add_nickname$/);
    expect(created.sql).toContain('nickname');
    const url = `file:${join(dir, 'b.db')}`;
    const applied = await applyMigrations({ url, migrationsDir: copy, schemaPath: schema });
    expect(applied.at(-1)).toBe(created.name);
  });

  it('names migration folders the way Prisma does', () => {
    expect(migrationFolderName('Add user Nickname!', new Date('2026-01-02T03:04:05Z'))).toBe(
      '20260102030405_add_user_nickname',
    );
    expect(() => migrationFolderName('  !! ')).toThrow(/no letters or digits/);
  });
});

/** A new todo's columns (the stamps the server's stores add). */
const todo = (title: string) => ({ userId: 1, title, completed: false, createdAt: new Date(), updatedAt: new Date() });

const titleOf = async (db: DataAccess, id: number) =>
  (await db.read.selectFrom('todos').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title;

describe('database', () => {
  it('opens in WAL mode with synchronous=FULL and seeds an empty database exactly once', async () => {
    const url = `file:${join(dir, 'c.db')}`;
    await applyMigrations({ url });
    const db = await openDatabase(url);
    try {
      const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db.write);
      expect(rows[0]?.journal_mode).toBe('wal');
      expect(await seedIfEmpty(db)).toEqual({ seeded: true, users: 10, todos: 200 });
      expect(await seedIfEmpty(db)).toEqual({ seeded: false, users: 0, todos: 0 });
      expect(
        await db.read
          .selectFrom('todos')
          .select(['userId', 'title', 'completed'])
          .where('id', '=', 1)
          .executeTakeFirst(),
      ).toEqual({ userId: 1, title: 'delectus aut autem', completed: false });
      const created = await db.write.insertInto('todos').values(todo('next')).returning('id').executeTakeFirstOrThrow();
      expect(created.id).toBe(201);
    } finally {
      await db.close();
    }
  });

  it('hands over the values the generated types name: booleans, instants, bigints, parsed JSON', () =>
    withSeededFile('values.db', async (db) => {
      const occurredAt = new Date('2026-03-04T05:06:07.089Z');
      const inserted = await db.write
        .insertInto('transactions')
        .values({
          ownerId: 'o',
          amount: 2n ** 60n,
          currency: 'EUR',
          description: 'big',
          occurredAt,
          createdAt: occurredAt,
          updatedAt: occurredAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const read = await db.read
        .selectFrom('transactions')
        .selectAll()
        .where('id', '=', inserted.id)
        .executeTakeFirst();
      for (const row of [inserted, read]) {
        expect(row).toMatchObject({ amount: 2n ** 60n, occurredAt, version: 1 });
        expect(typeof row?.id).toBe('number');
      }
      // Stored as Prisma's SQLite adapter stores instants, so old and new rows compare alike.
      const { rows } = await sql<{ text: string }>`SELECT CAST("occurredAt" AS TEXT) AS text FROM transactions`.execute(
        db.read,
      );
      expect(rows[0]?.text).toBe('2026-03-04T05:06:07.089+00:00');
      const user = await db.read.selectFrom('users').select(['address']).where('id', '=', 1).executeTakeFirstOrThrow();
      expect(user.address).toMatchObject({ street: 'Kulas Light', geo: { lat: '-37.3159' } });
      expect(Object.keys(user.address ?? {})).toEqual(['street', 'suite', 'city', 'zipcode', 'geo']);
    }));

  it('tells a broken unique constraint from a dangling reference', () =>
    withSeededFile('constraints.db', async (db) => {
      const dangling = await db.write
        .insertInto('todos')
        .values({ ...todo('x'), userId: 999 })
        .execute()
        .catch((e) => e);
      expect(constraintFailure(dangling)).toBe('foreignKey');
      const duplicate = await db.write
        .insertInto('todos')
        .values({ ...todo('x'), id: 1 })
        .execute()
        .catch((e) => e);
      expect(constraintFailure(duplicate)).toBe('unique');
      expect(constraintFailure(new Error('other'))).toBeUndefined();
    }));
});

describe('SQLite statements', () => {
  it('are prepared once per SQL text and give every call its own arguments', () =>
    withSeededFile('s.db', async (db) => {
      const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
      try {
        const titles: string[] = [];
        for (let id = 1; id <= 40; id += 1) titles.push(await titleOf(db, id));
        // One new statement for the forty lookups (the same SQL each time), each with its own id.
        expect(prepare.mock.calls).toHaveLength(1);
        expect(titles[0]).toBe('delectus aut autem');
        expect(new Set(titles).size).toBe(40);
        // Writes and transactions reuse statements too, and still commit what each call asked.
        for (const title of ['first', 'second']) {
          await db.transaction((tx) => tx.write.updateTable('todos').set({ title }).where('id', '=', 3).execute());
          expect(await titleOf(db, 3)).toBe(title);
        }
      } finally {
        prepare.mockRestore();
      }
    }));
});

/** A migrated, seeded SQLite file of the test's own, open for `work` and closed after it. */
async function withSeededFile(name: string, work: (db: Database) => Promise<void>): Promise<void> {
  const url = `file:${join(dir, name)}`;
  await applyMigrations({ url });
  const db = await openDatabase(url);
  try {
    await seedIfEmpty(db);
    await work(db);
  } finally {
    await db.close();
  }
}

/**
 * A transaction that retitles todo `id` 'never committed', stays open for 100 ms and rolls back:
 * `begun` once its write is in, `failed` with its error once it has ended.
 */
function rolledBackTransaction(db: Database, id: number): { begun: Promise<void>; failed: Promise<unknown> } {
  let reach: () => void = () => {};
  const begun = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const failed = db
    .transaction(async (tx) => {
      await tx.write.updateTable('todos').set({ title: 'never committed' }).where('id', '=', id).execute();
      reach();
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('rolled back');
    })
    .catch((error: unknown) => error);
  return { begun, failed };
}

const insertTodo = (db: DataAccess, title: string) =>
  db.write.insertInto('todos').values(todo(title)).returning('id').executeTakeFirstOrThrow();

describe('SQLite transactions', () => {
  it('take turns when two start together, and a statement from outside waits for both', () =>
    withSeededFile('turns.db', async (db) => {
      const first = db.transaction((tx) =>
        tx.write.updateTable('todos').set({ title: 'first' }).where('id', '=', 4).execute(),
      );
      const second = rolledBackTransaction(db, 5);
      await first;
      await second.begun;
      // The first has ended and the second is open: this write must wait for the second too.
      const inserted = await insertTodo(db, 'acknowledged between');
      expect(await second.failed).toEqual(new Error('rolled back'));
      expect(await titleOf(db, inserted.id)).toBe('acknowledged between');
      expect(await titleOf(db, 4)).toBe('first');
      expect(await titleOf(db, 5)).not.toBe('never committed');
    }));

  it('keep statements from outside off their connection: a rollback takes only its own writes', () =>
    withSeededFile('t.db', async (db) => {
      const failing = rolledBackTransaction(db, 3);
      await failing.begun;
      // Issued while the transaction is open: the write waits for it, then commits on its own;
      // the read, on the read connection, sees only what was committed.
      const [inserted, read] = await Promise.all([insertTodo(db, 'acknowledged'), titleOf(db, 3)]);
      expect(await failing.failed).toEqual(new Error('rolled back'));
      expect(read).not.toBe('never committed');
      expect(await titleOf(db, inserted.id)).toBe('acknowledged');
      expect(await titleOf(db, 3)).not.toBe('never committed');
    }));

  it('join the transaction they are started in', () =>
    withSeededFile('nested.db', async (db) => {
      const failed = await db
        .transaction(async (tx) => {
          await tx.transaction((inner) =>
            inner.write.updateTable('todos').set({ title: 'inner' }).where('id', '=', 6).execute(),
          );
          throw new Error('outer rolled back');
        })
        .catch((error: unknown) => error);
      expect(failed).toEqual(new Error('outer rolled back'));
      expect(await titleOf(db, 6)).not.toBe('inner');
    }));
});

describe('a data access with a plugin', () => {
  /** A plugin that records the kind of each query it is handed (`SelectQueryNode`, …), and changes none. */
  function recordingPlugin(): KyselyPlugin & { seen: string[] } {
    const seen: string[] = [];
    return {
      seen,
      transformQuery: ({ node }) => {
        seen.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
  }

  it('hands the plugin every query it runs, its transactions’ and their nested ones’ included, and no other', () =>
    withSeededFile('plugin.db', async (db) => {
      const plugin = recordingPlugin();
      const tagged = db.withPlugin(plugin);
      expect(await titleOf(tagged, 1)).toBeTruthy();
      await tagged.transaction(async (tx) => {
        await tx.write.updateTable('todos').set({ title: 'tagged' }).where('id', '=', 7).execute();
        await tx.transaction((inner) => inner.write.deleteFrom('todos').where('id', '=', 8).execute());
        await tx.withPlugin(recordingPlugin()).read.selectFrom('todos').select('id').where('id', '=', 7).execute();
      });
      // A write outside a transaction (the writer is tagged on first use), and a second plugin on top.
      await insertTodo(tagged, 'tagged write');
      const second = recordingPlugin();
      await titleOf(tagged.withPlugin(second), 3);
      expect(plugin.seen).toEqual([
        'SelectQueryNode',
        'UpdateQueryNode',
        'DeleteQueryNode',
        'SelectQueryNode',
        'InsertQueryNode',
        'SelectQueryNode',
      ]);
      expect(second.seen).toEqual(['SelectQueryNode']);
      // The access it was made from is untouched.
      await titleOf(db, 2);
      await insertTodo(db, 'untagged');
      expect(plugin.seen).toHaveLength(6);
      expect(await titleOf(db, 7)).toBe('tagged');
    }));
});
