import BetterSqlite3 from 'better-sqlite3';
import { RecentResults, resultKey, type SqliteValue } from './recent-results.js';
import { cacheStatements } from './statement-cache.js';

/** What the results of recent reads may hold, estimated (see `RecentResults`). */
const RECENT_RESULTS_BYTES = 8 * 1024 * 1024;

/** A bound value as Prisma's SQLite adapter writes it: booleans as 0/1, instants as ISO 8601 with `+00:00`. */
function toSqlite(value: unknown): SqliteValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  return value as SqliteValue;
}

/** An instant as stored: ISO 8601 text (SQLite's `CURRENT_TIMESTAMP` form has no offset and is UTC), or epoch ms. */
function toDate(value: string | number | bigint): Date {
  if (typeof value !== 'string') return new Date(Number(value));
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

type Decode = (value: SqliteValue) => unknown;
interface Shape {
  names: string[];
  decode: Decode[];
}

/**
 * A column's values as Prisma's client decodes them, by the column's declared type in the
 * schema's DDL: `BOOLEAN` → boolean, `DATETIME` → `Date`, `BIGINT` → bigint, `JSONB` → parsed
 * JSON, `INTEGER` → number; text and nulls as they are. `select.test.ts` holds every table's
 * rows read both ways side by side.
 */
const decoders: Record<string, Decode> = {
  INTEGER: (value) => Number(value),
  BIGINT: (value) => (typeof value === 'bigint' ? value : BigInt(value as number)),
  BOOLEAN: (value) => Number(value) === 1,
  DATETIME: (value) => toDate(value as string | number | bigint),
  JSONB: (value) => JSON.parse(value as string),
};
const asStored: Decode = (value) => value;

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
  /** Per statement (its column list is read once, `cacheStatements`): column names and decoders. */
  private readonly shapes = new WeakMap<readonly BetterSqlite3.ColumnDefinition[], Shape>();
  private readonly recent = new RecentResults<Shape>(RECENT_RESULTS_BYTES);
  private readonly dataVersion: BetterSqlite3.Statement<[], number>;

  constructor(file: string) {
    this.connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    this.connection.pragma('busy_timeout = 5000');
    // Prepared before the statement cache wraps `prepare`: it is run as it is, on every read.
    this.dataVersion = this.connection.prepare<[], number>('PRAGMA data_version').pluck();
    cacheStatements(this.connection);
  }

  get isOpen(): boolean {
    return this.connection.open;
  }

  /** The rows of one SELECT (`?` placeholders), with columns decoded as Prisma decodes them. */
  rows(sql: string, values: readonly unknown[]): Record<string, unknown>[] {
    const bound = values.map(toSqlite);
    const key = resultKey(sql, bound);
    this.recent.at(this.dataVersion.get() ?? 0);
    const { rows, shape } = (key && this.recent.get(key)) || this.read(sql, bound, key);
    const { names, decode } = shape;
    return rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < row.length; i += 1) {
        const value = row[i] as SqliteValue;
        record[names[i] as string] = value === null ? null : (decode[i] as Decode)(value);
      }
      return record;
    });
  }

  /** How much the results of recent reads hold now. */
  get recentResults(): { results: number; bytes: number } {
    return this.recent.size;
  }

  private read(sql: string, bound: SqliteValue[], key: string | undefined) {
    const statement = this.connection.prepare(sql).bind(bound);
    const columns = statement.columns();
    let shape = this.shapes.get(columns);
    if (!shape) {
      const types = columns.map((column) => column.type?.toUpperCase() ?? '');
      shape = { names: columns.map((column) => column.name), decode: types.map((type) => decoders[type] ?? asStored) };
      // Integers arrive as bigint only from statements that read a BIGINT column, so one beyond
      // 2^53 keeps its digits; the rest (INTEGER columns are 32-bit here) come as numbers, which
      // costs a page of rows far less than a bigint per cell.
      statement.safeIntegers(types.includes('BIGINT'));
      this.shapes.set(columns, shape);
    }
    const result = { rows: statement.raw().all() as SqliteValue[][], shape };
    if (key) this.recent.set(key, result);
    return result;
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}
