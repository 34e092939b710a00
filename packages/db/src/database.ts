import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type KyselyPlugin, type LogEvent, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './generated/kysely.js';
import { type Engine, engineOf, redactedUrl } from './paths.js';
import { postgresqlPool } from './postgresql-connection.js';
import { SqliteConnection } from './sqlite-connection.js';

/** Queries on lockstep's tables, typed from the Prisma schema; a `Transaction<DB>` is one too. */
export type Queries = Kysely<DB>;

/**
 * Where an operation's queries run. Outside a transaction, reads go to `read` (on SQLite a
 * read-only connection of its own, which WAL lets read beside the writer and which sees every
 * committed write, this process's or another's; on PostgreSQL the pool) and writes to `write`
 * (SQLite's one writer connection; the pool). Inside `transaction`, both are the transaction,
 * so reads see its own writes, and a nested `transaction` joins it.
 */
export interface DataAccess {
  readonly engine: Engine;
  readonly read: Queries;
  readonly write: Queries;
  /**
   * Runs `work` as one transaction, run again from the start (after a short random pause) when
   * it loses to a concurrent one (`isWriteConflict`); joins the transaction this is already in.
   */
  transaction<T>(work: (tx: DataAccess) => Promise<T>): Promise<T>;
  /**
   * The same data access with `plugin` on every query it runs, its transactions' included
   * (Kysely's `withPlugin`): how a caller tags its own queries, a traced request its spans' parent.
   */
  withPlugin(plugin: KyselyPlugin): DataAccess;
}

/** How a connection pool is used right now (PostgreSQL's; SQLite has two fixed connections and none). */
export interface PoolUse {
  /** Connections checked out, running a query or a transaction. */
  used: number;
  /** Connections open and waiting for work. */
  idle: number;
  /** Callers waiting for a connection because every one is in use. */
  pending: number;
  /** The most connections the pool opens. */
  max: number;
}

/** An open database: its data access, plus what only its owner does. */
export interface Database extends DataAccess {
  /** Whether the database answers a query now (readiness). */
  isReachable(): Promise<boolean>;
  /** The pool's use now; undefined where there is no pool (SQLite). */
  poolUse(): PoolUse | undefined;
  /** Closes every connection; in-flight queries finish first. */
  close(): Promise<void>;
}

/** SQLite's `synchronous` levels; FULL (2) fsyncs the WAL at every commit. */
const SYNCHRONOUS_FULL = 2;

/** How often a write that loses to concurrent ones is tried, in all, before its conflict is thrown. */
export const WRITE_ATTEMPTS = 8;

/**
 * The pause before trying a write again that lost to a concurrent one (attempt 1, 2, …): full
 * jitter, growing, so colliding retries spread out instead of colliding again.
 */
export const pauseBeforeRetry = (attempt: number): Promise<void> => sleep(Math.random() * 5 * 2 ** attempt);

/** PostgreSQL's SQLSTATEs of a transaction that lost to a concurrent one and may be run again. */
const WRITE_CONFLICTS = new Set(['40001', '40P01']);

/** Whether a transaction failed only because a concurrent one won (a deadlock, a serialization failure). */
export const isWriteConflict = (error: unknown): boolean =>
  error instanceof pg.DatabaseError && error.code !== undefined && WRITE_CONFLICTS.has(error.code);

/** A constraint a write broke, as callers answer it: a duplicate (409) or a dangling reference (422). */
export type ConstraintFailure = 'unique' | 'foreignKey';

/** The constraint codes of each driver: better-sqlite3's extended result codes, PostgreSQL's SQLSTATEs. */
const CONSTRAINT_CODES: Record<string, ConstraintFailure> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
  '23505': 'unique',
  '23503': 'foreignKey',
};

/** Which constraint a failed write broke, on either engine; undefined for any other failure. */
export function constraintFailure(error: unknown): ConstraintFailure | undefined {
  const isDriverError = error instanceof BetterSqlite3.SqliteError || error instanceof pg.DatabaseError;
  return isDriverError && error.code !== undefined ? CONSTRAINT_CODES[error.code] : undefined;
}

/** A transaction's data access: every query in it, and a nested transaction joins it. */
function inTransaction(engine: Engine, tx: Queries): DataAccess {
  const access: DataAccess = {
    engine,
    read: tx,
    write: tx,
    transaction: (work) => work(access),
    withPlugin: (plugin) => inTransaction(engine, tx.withPlugin(plugin)),
  };
  return access;
}

/** The data access outside a transaction: reads on `read`, writes and transactions on `write`. */
function accessOf(engine: Engine, read: Queries, write: Queries): DataAccess {
  return {
    engine,
    read,
    write,
    transaction: (work) => retrying(engine, write, work),
    withPlugin: (plugin) => new TaggedAccess(engine, read, write, plugin),
  };
}

/**
 * `accessOf` with `plugin` on every query. Each handle is tagged on first use: a traced request
 * gets one of these, and a read never touches the writer. A class, not an object literal with
 * getters, which V8 builds through its runtime each time (a CPU profile put that at ~3 µs a request).
 */
class TaggedAccess implements DataAccess {
  #taggedRead: Queries | undefined;
  #taggedWrite: Queries | undefined;

  constructor(
    readonly engine: Engine,
    private readonly untaggedRead: Queries,
    private readonly untaggedWrite: Queries,
    private readonly plugin: KyselyPlugin,
  ) {}

  get read(): Queries {
    this.#taggedRead ??= this.untaggedRead.withPlugin(this.plugin);
    return this.#taggedRead;
  }

  get write(): Queries {
    // PostgreSQL's two handles are one pool: one tagged handle serves both.
    this.#taggedWrite ??=
      this.untaggedRead === this.untaggedWrite ? this.read : this.untaggedWrite.withPlugin(this.plugin);
    return this.#taggedWrite;
  }

  transaction<T>(work: (tx: DataAccess) => Promise<T>): Promise<T> {
    return retrying(this.engine, this.write, work);
  }

  withPlugin(plugin: KyselyPlugin): DataAccess {
    return new TaggedAccess(this.engine, this.read, this.write, plugin);
  }
}

/** `write.transaction()`, run again while it loses to a concurrent one. */
async function retrying<T>(engine: Engine, write: Queries, work: (tx: DataAccess) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write.transaction().execute((tx) => work(inTransaction(engine, tx)));
    } catch (error) {
      if (!isWriteConflict(error) || attempt === WRITE_ATTEMPTS) throw error;
      await pauseBeforeRetry(attempt);
    }
  }
}

/** The data access of an open database, from its two query handles (one and the same on PostgreSQL). */
function databaseOf(
  engine: Engine,
  read: Queries,
  write: Queries,
  close: () => Promise<void>,
  poolUse: () => PoolUse | undefined = () => undefined,
): Database {
  return {
    ...accessOf(engine, read, write),
    poolUse,
    isReachable: () =>
      sql`SELECT 1`.execute(read).then(
        () => true,
        () => false,
      ),
    close,
  };
}

export interface OpenOptions {
  /**
   * Told of every query once it has run or failed, with its compiled statement and duration
   * (Kysely's `log` hook): tracing builds its database spans from it, finding each query's
   * parent by the query id a `withPlugin` plugin of the caller's saw.
   */
  onQuery?: (event: LogEvent) => void;
}

/**
 * Opens the database behind `url` for Kysely: better-sqlite3 for `file:` URLs, node-postgres for
 * `postgresql://` ones. The database must exist; `openMigratedDatabase` creates a missing
 * PostgreSQL database and brings the schema up to date.
 */
export function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  return engineOf(url) === 'sqlite' ? openSqlite(url, options) : openPostgresql(url, options);
}

/**
 * SQLite is made durable before it is handed out: WAL journal with `synchronous=FULL`, so a
 * transaction is on disk when its commit returns and an acknowledged write survives `kill -9`.
 * Both settings are read back and asserted; a database that cannot honour them (a read-only or
 * network file system, say) fails at start instead of losing data later.
 *
 * Two connections: the writer, on which Kysely runs one query or transaction at a time (its
 * connection mutex: a statement never slips into another request's open transaction), and a
 * read-only one for reads outside transactions, which WAL lets run while the writer writes.
 */
async function openSqlite(url: string, { onQuery }: OpenOptions): Promise<Database> {
  const file = url.replace(/^file:/, '');
  const writer = new BetterSqlite3(file);
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.pragma('foreign_keys = ON');
    writer.pragma('busy_timeout = 5000');
    const journal = writer.pragma('journal_mode', { simple: true });
    const synchronous = writer.pragma('synchronous', { simple: true });
    if (journal !== 'wal' || synchronous !== SYNCHRONOUS_FULL) {
      throw new Error(
        `SQLite at ${url} refused durable settings (journal_mode=${journal}, synchronous=${synchronous}); expected wal and FULL.`,
      );
    }
  } catch (error) {
    writer.close();
    throw error;
  }
  // Opened once the file exists and is in WAL mode (the writer saw to both).
  const reader = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  const log = onQuery ? { log: onQuery } : {};
  const write = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SqliteConnection(writer) }), ...log });
  const read = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SqliteConnection(reader) }), ...log });
  return databaseOf('sqlite', read, write, async () => {
    await Promise.all([read.destroy(), write.destroy()]);
    // Kysely closes only a connection it has used; the file must be free once this returns.
    for (const connection of [reader, writer]) if (connection.open) connection.close();
  });
}

/**
 * PostgreSQL is durable by its defaults (`fsync`, `synchronous_commit=on`): a commit returns once
 * its WAL record is flushed. The connection is tried at once, so a wrong URL fails at start.
 */
async function openPostgresql(url: string, { onQuery }: OpenOptions): Promise<Database> {
  const { pool, forKysely } = postgresqlPool(url);
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: forKysely }),
    ...(onQuery ? { log: onQuery } : {}),
  });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`Cannot reach PostgreSQL at ${redactedUrl(url)}: ${firstLineOf(error)}`, { cause: error });
  }
  // pg's own counters: every connection it holds, those idle, and the callers queued for one.
  const poolUse = (): PoolUse => ({
    used: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    pending: pool.waitingCount,
    max: pool.options.max ?? 10,
  });
  return databaseOf('postgresql', db, db, () => db.destroy(), poolUse);
}

/** The first line of an error's message: enough for a message of ours that wraps it. */
export const firstLineOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
