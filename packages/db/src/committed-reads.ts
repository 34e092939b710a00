import BetterSqlite3 from 'better-sqlite3';
import { cacheStatements } from './statement-cache.js';

type SqliteValue = string | number | bigint | Buffer | null;

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
 */
export class CommittedReads {
  private readonly connection: BetterSqlite3.Database;
  /** Per statement (its column list is read once, `cacheStatements`): column names and decoders. */
  private readonly shapes = new WeakMap<
    readonly BetterSqlite3.ColumnDefinition[],
    { names: string[]; decode: Decode[] }
  >();

  constructor(file: string) {
    this.connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    this.connection.pragma('busy_timeout = 5000');
    cacheStatements(this.connection);
  }

  get isOpen(): boolean {
    return this.connection.open;
  }

  /** The rows of one SELECT (`?` placeholders), with columns decoded as Prisma decodes them. */
  rows(sql: string, values: readonly unknown[]): Record<string, unknown>[] {
    const statement = this.connection.prepare(sql).bind(values.map(toSqlite));
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
    const { names, decode } = shape;
    return (statement.raw().all() as SqliteValue[][]).map((row) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < row.length; i += 1) {
        const value = row[i] as SqliteValue;
        record[names[i] as string] = value === null ? null : (decode[i] as Decode)(value);
      }
      return record;
    });
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}
