import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from './database.js';
import { applyMigrations } from './migrate.js';
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
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
