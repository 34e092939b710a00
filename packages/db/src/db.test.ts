import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Database, openDatabase } from './database.js';
import { insertItemRow } from './item-rows.js';
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
      const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: string | null }[]>(
        'SELECT migration_name, finished_at FROM _prisma_migrations',
      );
      expect(rows.map((r) => r.migration_name).sort()).toEqual(committed.map((e) => e.name).sort());
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('starts the engine only when migrations are pending, so it runs beside an open connection', async () => {
    const url = `file:${join(dir, 'p.db')}`;
    const committed = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const fresh = await openDatabase(url);
    expect(await pendingMigrations(fresh)).toEqual(committed.sort());
    await fresh.$disconnect();
    expect(await migrateIfPending({ url })).toEqual(committed.sort());
    const open = await openDatabase(url);
    try {
      // The engine would need an exclusive lock, which this open connection prevents.
      await expect(applyMigrations({ url })).rejects.toThrow();
      expect(await pendingMigrations(open)).toEqual([]);
      expect(await migrateIfPending({ url })).toEqual([]);
    } finally {
      await open.$disconnect();
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

describe('database', () => {
  it('opens in WAL mode with synchronous=FULL and seeds an empty database exactly once', async () => {
    const url = `file:${join(dir, 'c.db')}`;
    await applyMigrations({ url });
    const db = await openDatabase(url);
    try {
      const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(mode?.journal_mode).toBe('wal');
      expect(await seedIfEmpty(db)).toEqual({ seeded: true, users: 10, todos: 200 });
      expect(await seedIfEmpty(db)).toEqual({ seeded: false, users: 0, todos: 0 });
      expect(
        await db.todo.findUnique({ where: { id: 1 }, select: { userId: true, title: true, completed: true } }),
      ).toEqual({
        userId: 1,
        title: 'delectus aut autem',
        completed: false,
      });
      const created = await db.todo.create({ data: { userId: 1, title: 'next' } });
      expect(created.id).toBe(201);
    } finally {
      await db.$disconnect();
    }
  });
});

describe('SQLite statements', () => {
  it('are prepared once per SQL text and give every call its own arguments', async () => {
    const url = `file:${join(dir, 's.db')}`;
    await applyMigrations({ url });
    const prepare = vi.spyOn(BetterSqlite3.prototype, 'prepare');
    const db = await openDatabase(url);
    try {
      await seedIfEmpty(db);
      const before = prepare.mock.calls.length;
      const titles: string[] = [];
      for (let id = 1; id <= 40; id += 1) {
        titles.push((await db.todo.findUniqueOrThrow({ where: { id }, select: { title: true } })).title);
      }
      // One new statement for the forty lookups (the same SQL each time), each with its own id.
      expect(prepare.mock.calls.length - before).toBe(1);
      expect(titles[0]).toBe('delectus aut autem');
      expect(new Set(titles).size).toBe(40);
      // Writes and transactions reuse statements too, and still commit what each call asked.
      for (const title of ['first', 'second']) {
        await db.$transaction(async (tx) => {
          await tx.todo.update({ where: { id: 3 }, data: { title } });
        });
        expect((await db.todo.findUniqueOrThrow({ where: { id: 3 } })).title).toBe(title);
      }
    } finally {
      prepare.mockRestore();
      await db.$disconnect();
    }
  });
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
    await db.$disconnect();
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
    .$transaction(async (tx) => {
      await tx.todo.update({ where: { id }, data: { title: 'never committed' } });
      reach();
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('rolled back');
    })
    .catch((error: unknown) => error);
  return { begun, failed };
}

describe('SQLite transactions', () => {
  it('take turns when two start together, and a statement from outside waits for both', () =>
    withSeededFile('turns.db', async (db) => {
      const first = db.$transaction(async (tx) => {
        await tx.todo.update({ where: { id: 4 }, data: { title: 'first' } });
      });
      const second = rolledBackTransaction(db, 5);
      await first;
      await second.begun;
      // The first has ended and the second is open: this write must wait for the second too.
      const inserted = await insertItemRow<{ id: number }>(db, {
        table: 'todos',
        values: { userId: 1, title: 'acknowledged between', completed: false },
        returning: { id: true },
      });
      expect(await second.failed).toEqual(new Error('rolled back'));
      expect(await db.todo.findUnique({ where: { id: inserted.id } })).toMatchObject({ title: 'acknowledged between' });
      expect((await db.todo.findUniqueOrThrow({ where: { id: 5 } })).title).not.toBe('never committed');
    }));

  it('keep statements from outside off their connection: a rollback takes only its own writes', () =>
    withSeededFile('t.db', async (db) => {
      const failing = rolledBackTransaction(db, 3);
      await failing.begun;
      // Issued while the transaction is open: waits for it, then commits on its own.
      // So does an item write, which runs on the connection outside Prisma's client.
      const [created, read, inserted] = await Promise.all([
        db.todo.create({ data: { userId: 1, title: 'acknowledged' } }),
        db.$queryRawUnsafe<{ title: string }[]>('SELECT title FROM todos WHERE id = 3'),
        insertItemRow<{ id: number }>(db, {
          table: 'todos',
          values: { userId: 1, title: 'acknowledged too', completed: false },
          returning: { id: true },
        }),
      ]);
      expect(await failing.failed).toEqual(new Error('rolled back'));
      expect(read[0]?.title).not.toBe('never committed');
      expect(await db.todo.findUnique({ where: { id: created.id } })).toMatchObject({ title: 'acknowledged' });
      expect(await db.todo.findUnique({ where: { id: inserted.id } })).toMatchObject({ title: 'acknowledged too' });
      expect((await db.todo.findUniqueOrThrow({ where: { id: 3 } })).title).not.toBe('never committed');
    }));
});
