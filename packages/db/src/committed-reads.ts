import BetterSqlite3 from 'better-sqlite3';
import { RecentResults, resultKey } from './recent-results.js';
import { decodeRows, type RowShape, RowShapes, type SqliteValue, toSqlite } from './sqlite-rows.js';
import { cacheStatements } from './statement-cache.js';

/** What the results of recent reads may hold, estimated (see `RecentResults`). */
const RECENT_RESULTS_BYTES = 8 * 1024 * 1024;

/**
 * SQLite reads outside any transaction, on a read-only connection of their own rather than
 * through Prisma's client: a by-id read then costs the statement (a few µs) instead of the
 * client's query interpretation around it (about 50 µs). In WAL mode the connection sees every
 * transaction committed before the read starts, on this connection or any other process's, and
 * never one in progress, which is what a read outside a transaction may see. Reads inside a
 * transaction go through Prisma, on the transaction's connection (see `selectRows`).
 *
 * The raw rows of recent reads are kept while nothing commits (`RecentResults`): the same page or
 * key read again costs a version check (about 1 µs) and the decoding, not the statement and the
 * copy of every cell into JavaScript (about 130 µs for a page of 100 todos). The version is read
 * before the statement runs, so a result may be newer than the version it is kept under, never
 * older; and once any connection, in this process or another, commits, none is served again.
 */
export class CommittedReads {
  private readonly connection: BetterSqlite3.Database;
  private readonly shapes = new RowShapes(true);
  private readonly recent = new RecentResults<RowShape>(RECENT_RESULTS_BYTES);
  private readonly dataVersion: BetterSqlite3.Statement<[], number>;

  constructor(file: string) {
    this.connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    this.connection.pragma('busy_timeout = 5000');
    // Prepared before the statement cache wraps `prepare`: it is run as it is, on every read.
    this.dataVersion = this.connection.prepare<[], number>('PRAGMA data_version').pluck();
    cacheStatements(this.connection);
  }

  /** The rows of one SELECT (`?` placeholders), with columns decoded as Prisma decodes them. */
  rows(sql: string, values: readonly unknown[]): Record<string, unknown>[] {
    const bound = values.map(toSqlite);
    const key = resultKey(sql, bound);
    this.recent.at(this.dataVersion.get() ?? 0);
    const { rows, shape } = (key && this.recent.get(key)) || this.read(sql, bound, key);
    return decodeRows(rows, shape);
  }

  /** How much the results of recent reads hold now. */
  get recentResults(): { results: number; bytes: number } {
    return this.recent.size;
  }

  private read(sql: string, bound: SqliteValue[], key: string | undefined) {
    const statement = this.connection.prepare(sql).bind(bound);
    const result = { shape: this.shapes.of(statement), rows: statement.raw().all() as SqliteValue[][] };
    if (key) this.recent.set(key, result);
    return result;
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}
