import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';

export type Database = PrismaClient;

/** What a transaction callback receives: the database, minus what only the client itself may do. */
export type DatabaseTransaction = Prisma.TransactionClient;

/** Where a read may run: on the database, or inside a transaction. */
export type DatabaseReader = Database | DatabaseTransaction;

/** SQLite's `synchronous` levels; FULL (2) fsyncs the WAL at every commit. */
const SYNCHRONOUS_FULL = 2n;

/**
 * Opens the SQLite database behind `url` (`file:/abs/path.db`) through Prisma's Wasm query
 * compiler and the better-sqlite3 driver adapter: no native query engine, no download.
 *
 * The connection is made durable before it is handed out: WAL journal with `synchronous=FULL`,
 * so a transaction is on disk when its commit returns and an acknowledged write survives
 * `kill -9`. Both settings are read back and asserted; a database that cannot honour them
 * (a read-only or network file system, say) fails at start instead of losing data later.
 */
export async function openDatabase(url: string): Promise<Database> {
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  try {
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await prisma.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
    const [journal] = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
    const [sync] = await prisma.$queryRawUnsafe<{ synchronous: bigint }[]>('PRAGMA synchronous');
    if (journal?.journal_mode !== 'wal' || sync?.synchronous !== SYNCHRONOUS_FULL) {
      throw new Error(
        `SQLite at ${url} refused durable settings (journal_mode=${journal?.journal_mode}, synchronous=${sync?.synchronous}); expected wal and FULL.`,
      );
    }
    return prisma;
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
}

/** Answers whether the database accepts a query; used by readiness checks. */
export async function isDatabaseReachable(db: Database): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
