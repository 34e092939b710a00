import { join } from 'node:path';
import { openMigratedDatabase, seedIfEmpty } from '@lockstep/db';
import { AuthService } from '@lockstep/server';

/** What a benchmark's seeded database holds beyond JSONPlaceholder's rows: a key and one of its transactions. */
export interface Fixtures {
  apiKey: string;
  transactionId: number;
}

/** A seeded SQLite database in `dir` with a key and a transaction of its owner (benchmarks copy it per server). */
export async function seededDatabase(dir: string): Promise<{ file: string; fixtures: Fixtures }> {
  const file = join(dir, 'seeded.db');
  const { db } = await openMigratedDatabase({ url: `file:${file}` });
  try {
    await seedIfEmpty(db);
    const { token, key } = await new AuthService(db).createKey({ name: 'bench', scopes: ['read', 'write'] });
    const now = new Date();
    const transaction = await db.write
      .insertInto('transactions')
      .values({
        ownerId: key.ownerId,
        amount: 1250n,
        currency: 'EUR',
        description: 'coffee',
        occurredAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { file, fixtures: { apiKey: token, transactionId: transaction.id } };
  } finally {
    await db.close();
  }
}
