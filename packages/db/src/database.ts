import { setTimeout as sleep } from 'node:timers/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import { isDriverAdapterError, type SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { CommittedReads } from './committed-reads.js';
import { PrismaClient as PostgresqlClient } from './generated/postgresql/client.js';
import { Prisma, PrismaClient } from './generated/sqlite/client.js';
import { type Engine, engineOf, redactedUrl } from './paths.js';
import { PostgresqlReads } from './postgresql-reads.js';
import { sqliteAdapter } from './sqlite-adapter.js';
import type { WriterStatements } from './writer-statements.js';

/**
 * The database as the rest of lockstep sees it, whichever engine is behind it.
 *
 * Prisma generates one client per provider. Both are generated from the same models (the
 * PostgreSQL schema is derived from the SQLite one), so their model APIs agree; the SQLite
 * client's type is the one everything is written against, and PostgreSQL's client is a
 * superset of it (it adds options SQLite lacks, such as case-insensitive filters). That is why
 * `openDatabase` may hand out a PostgreSQL client under this type.
 */
export type Database = PrismaClient;

/** What a transaction callback receives: the database, minus what only the client itself may do. */
export type DatabaseTransaction = Prisma.TransactionClient;

/** Where a read may run: on the database, or inside a transaction. */
export type DatabaseReader = Database | DatabaseTransaction;

/** SQLite's `synchronous` levels; FULL (2) fsyncs the WAL at every commit. */
const SYNCHRONOUS_FULL = 2n;

/**
 * Where a database opened by `openDatabase` records its engine: a symbol-keyed property of the
 * client, which Prisma's transaction clients (and the server's ambient-transaction proxy) pass
 * through, so the engine can be told from any of them.
 */
const ENGINE = Symbol.for('lockstep.database-engine');

/** The connections a database uses outside Prisma's client. */
interface OutsidePrisma {
  /** For reads (`selectRows`): SQLite's read-only connection, or PostgreSQL's pool. */
  reads: CommittedReads | PostgresqlReads;
  /** Prisma's own SQLite connection, for single writes (`insertItemRow` and the like); none on PostgreSQL. */
  writes?: WriterStatements;
}

/**
 * Who may use the database outside Prisma's client: the client `openDatabase` returned, and
 * wrappers of it registered with `shareOutsidePrisma`, each while it is outside any transaction.
 * Kept by object identity rather than as a property, because Prisma's transaction clients copy
 * their client's properties, and a statement inside a transaction must run in the transaction.
 */
const outsidePrisma = new WeakMap<object, () => OutsidePrisma | undefined>();

/** Where `db` may read now outside Prisma's client, if anywhere (never in a transaction). */
export function readsOutsidePrisma(db: DatabaseReader): CommittedReads | PostgresqlReads | undefined {
  return outsidePrisma.get(db)?.()?.reads;
}

/** The committed-reads connection `db` may use now, if any (SQLite only; never in a transaction). */
export function committedReadsOf(db: DatabaseReader): CommittedReads | undefined {
  const reads = readsOutsidePrisma(db);
  return reads instanceof CommittedReads ? reads : undefined;
}

/** The statements `db` may run on the writer's connection now, if any (SQLite only; never in a transaction). */
export function writerStatementsOf(db: DatabaseReader): WriterStatements | undefined {
  return outsidePrisma.get(db)?.()?.writes;
}

/**
 * Lets `alias`, a wrapper of `db` (the server's ambient-transaction proxy, say), read and write
 * outside Prisma's client as `db` does whenever `outsideTransactions()` answers true.
 */
export function shareOutsidePrisma(alias: object, db: Database, outsideTransactions: () => boolean): void {
  outsidePrisma.set(alias, () => (outsideTransactions() ? outsidePrisma.get(db)?.() : undefined));
}

/** The engine behind a database opened by `openDatabase`, or a transaction of one. */
export function databaseEngine(db: DatabaseReader): Engine {
  const engine = (db as unknown as Record<symbol, Engine | undefined>)[ENGINE];
  if (!engine) throw new Error('databaseEngine: not a database opened by openDatabase');
  return engine;
}

/**
 * Opens the database behind `url` through Prisma's Wasm query compiler and a driver adapter (no
 * native query engine, no download): better-sqlite3 for `file:` URLs, node-postgres for
 * `postgresql://` ones. The database must exist; `openMigratedDatabase` creates a missing
 * PostgreSQL database and brings the schema up to date.
 */
export async function openDatabase(url: string): Promise<Database> {
  const engine = engineOf(url);
  const db = engine === 'sqlite' ? await openSqlite(url) : await openPostgresql(url);
  Object.defineProperty(db, ENGINE, { value: engine });
  return db;
}

/**
 * SQLite is made durable before it is handed out: WAL journal with `synchronous=FULL`, so a
 * transaction is on disk when its commit returns and an acknowledged write survives `kill -9`.
 * Both settings are read back and asserted; a database that cannot honour them (a read-only or
 * network file system, say) fails at start instead of losing data later.
 */
async function openSqlite(url: string): Promise<Database> {
  let writes: WriterStatements | undefined;
  /** Both connections, from the read connection's opening until `$disconnect` closes it. */
  let outside: (OutsidePrisma & { reads: CommittedReads }) | undefined;
  const adapter = sqliteAdapter(url, {
    // Prisma connects on its first query (again after a `$disconnect`, when reads go through it).
    onConnect: (writer) => {
      writes = writer;
    },
    // Prisma disposes of its adapter on `$disconnect`; the read connection closes with it.
    onDispose: () => {
      outside?.reads.close();
      outside = undefined;
    },
  });
  const prisma = new PrismaClient({ adapter });
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
    // Opened once the file exists and is in WAL mode (the statements above saw to both).
    if (!writes) throw new Error('Prisma ran a query without connecting its SQLite adapter');
    outside = { reads: new CommittedReads(url.replace(/^file:/, '')), writes };
    outsidePrisma.set(prisma, () => outside);
    return prisma;
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
}

/**
 * PostgreSQL is durable by its defaults (`fsync`, `synchronous_commit=on`): a commit returns once
 * its WAL record is flushed. The connection is tried at once, so a wrong URL fails at start.
 */
async function openPostgresql(url: string): Promise<Database> {
  // One pool for Prisma's adapter and for the reads outside it; Prisma ends it on `$disconnect`
  // (and would make a pool of its own if used again, the reads then going through it).
  const pool = new pg.Pool({ connectionString: url });
  let outside: OutsidePrisma | undefined = { reads: new PostgresqlReads(pool) };
  const factory = new PrismaPg(pool, { disposeExternalPool: true });
  const adapter: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connected = await factory.connect();
      const dispose = connected.dispose.bind(connected);
      return Object.assign(connected, {
        dispose: async () => {
          outside = undefined;
          await dispose();
        },
      });
    },
  };
  const prisma = new PostgresqlClient({ adapter });
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
  } catch (error) {
    await prisma.$disconnect();
    throw new Error(`Cannot reach PostgreSQL at ${redactedUrl(url)}: ${firstLineOf(error)}`, { cause: error });
  }
  outsidePrisma.set(prisma, () => outside);
  // The PostgreSQL client is a superset of the SQLite client's API (see `Database`).
  return prisma as unknown as Database;
}

/** The first line of an error's message: enough for a message of ours that wraps it. */
export const firstLineOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

/** Answers whether the database accepts a query; used by readiness checks. */
export async function isDatabaseReachable(db: Database): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** Prisma's code for a transaction that lost a write conflict or a deadlock and may be retried. */
const WRITE_CONFLICT = 'P2034';
/** How often a write that loses to concurrent ones is tried, in all, before its conflict is thrown. */
export const WRITE_ATTEMPTS = 8;

/**
 * The pause before trying a write again that lost to a concurrent one (attempt 1, 2, …): full
 * jitter, growing, so colliding retries spread out instead of colliding again.
 */
export const pauseBeforeRetry = (attempt: number): Promise<void> => sleep(Math.random() * 5 * 2 ** attempt);

/**
 * Whether a transaction failed only because a concurrent one won (a deadlock, or a serialization
 * failure): running it again may succeed. Prisma reports it as P2034 for a statement, but one
 * found at COMMIT arrives as the driver adapter's own error.
 */
export const isWriteConflict = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError
    ? error.code === WRITE_CONFLICT
    : isDriverAdapterError(error) && error.cause.kind === 'TransactionWriteConflict';

/**
 * Runs `work` as one transaction, run again from the start (after a short random pause) when it
 * loses to a concurrent one: a deadlock between row locks on PostgreSQL, say. A conflict that
 * outlasts every attempt is thrown (`isWriteConflict` tells it apart).
 *
 * PostgreSQL runs at READ COMMITTED: a transaction that reads a row, checks it and writes
 * depending on it must first take the row's lock (updating it does), so that a concurrent one
 * waits for its commit and then reads its result; hot rows then queue instead of failing, as
 * they would under SERIALIZABLE. SQLite runs one write transaction at a time anyway.
 */
export async function retryingTransaction<T>(db: Database, work: (tx: DatabaseTransaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(work);
    } catch (error) {
      if (!isWriteConflict(error) || attempt === WRITE_ATTEMPTS) throw error;
      await pauseBeforeRetry(attempt);
    }
  }
}
