import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from './database.js';
import { applyMigrations, openMigratedDatabase } from './migrate.js';
import { throwawayPostgresqlDatabase } from './postgresql.js';
import { seedIfEmpty } from './seed.js';

/** For this package's tests (not built): a migrated, seeded SQLite file of its own, and how to throw it away. */
export async function openSeededSqlite(): Promise<{ db: Database; file: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-db-test-'));
  const file = join(dir, 'seeded.db');
  const url = `file:${file}`;
  await applyMigrations({ url });
  const db = await openDatabase(url);
  await seedIfEmpty(db);
  return {
    db,
    file,
    dispose: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** For this package's tests: a migrated, seeded database of its own on the local PostgreSQL, and how to drop it. */
export async function openSeededPostgresql(): Promise<{ db: Database; dispose(): Promise<void> }> {
  const { url, drop } = throwawayPostgresqlDatabase('lockstep_db_test');
  const { db } = await openMigratedDatabase({ url, seed: true });
  return {
    db,
    dispose: async () => {
      await db.close();
      await drop();
    },
  };
}
