import type { Database } from './database.js';
import { openMigratedDatabase } from './migrate.js';
import { throwawayPostgresqlDatabase } from './postgresql.js';

/** For this package's tests (not built): a migrated, seeded database of its own on the local PostgreSQL, and how to drop it. */
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
