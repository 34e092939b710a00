import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { sqliteInstant } from './instants.js';

/** A value as better-sqlite3 binds it or hands it over. */
type SqliteValue = string | number | bigint | Buffer | null;

/**
 * A bound value as SQLite stores it: booleans as 0/1 (SQLite has no boolean), instants as ISO
 * 8601 text with `+00:00` (what Prisma's SQLite adapter writes, so rows written before and after
 * this layer sort and compare alike). Anything else better-sqlite3 binds as it is.
 */
function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return sqliteInstant(value);
  return value;
}

/** An instant as stored: ISO 8601 text (SQLite's `CURRENT_TIMESTAMP` form has no offset and is UTC), or epoch ms. */
function toDate(value: SqliteValue): Date {
  if (typeof value !== 'string') return new Date(Number(value));
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

type Decode = (value: SqliteValue) => unknown;

/**
 * Each column's values as the generated `DB` types say they arrive (and as PostgreSQL's
 * connection hands them over: see `postgresql-connection.ts`), by the column's declared type in
 * the schema's DDL. Text, integers and expressions (`count(*)`) pass as they are.
 */
const DECODERS: Record<string, Decode> = {
  BIGINT: (value) => (typeof value === 'bigint' ? value : BigInt(value as number)),
  BOOLEAN: (value) => value === 1 || value === 1n,
  DATETIME: toDate,
  JSONB: (value) => JSON.parse(value as string),
};

/** How one statement's rows become records: its column names and a decoder for the columns that need one. */
interface RowShape {
  names: string[];
  decoders: (Decode | undefined)[];
  needsDecoding: boolean;
}

function shapeOf(statement: BetterSqlite3.Statement): RowShape {
  const columns = statement.columns();
  const types = columns.map((column) => column.type?.toUpperCase() ?? '');
  // Integers come as bigints only from statements that read a BIGINT column, so an amount beyond
  // 2^53 keeps its digits; their INTEGER columns (ids, versions) are turned back into numbers.
  // Other statements read numbers, which cost a page far less than a bigint per cell.
  const safeIntegers = types.includes('BIGINT');
  statement.safeIntegers(safeIntegers);
  const decoders = types.map((type) => DECODERS[type] ?? (safeIntegers && type === 'INTEGER' ? Number : undefined));
  return {
    names: columns.map((column) => column.name),
    decoders,
    needsDecoding: decoders.some((decode) => decode !== undefined),
  };
}

/** Raw rows as records, the values that need it decoded. */
function toRecords(rows: SqliteValue[][], { names, decoders }: RowShape): Record<string, unknown>[] {
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < row.length; i += 1) {
      const value = row[i] as SqliteValue;
      const decode = decoders[i];
      record[names[i] as string] = value === null || decode === undefined ? value : decode(value);
    }
    return record;
  });
}

/** Distinct statements kept prepared per connection; Kysely's SQL is parameterised, so shapes are few. */
const PREPARED_STATEMENTS = 256;

/**
 * One better-sqlite3 connection as Kysely's `SqliteDialect` takes it (its public `SqliteDatabase`
 * interface), doing the two things that make SQLite's values lockstep's on the way:
 *
 * - parameters are bound as SQLite stores them (`toSqlite`), and result columns decoded by their
 *   declared types (`DECODERS`), so a store reads a `boolean`, a `Date`, a `bigint` or parsed
 *   JSON from either engine;
 * - statements are prepared once per SQL text and kept (least recently used out first):
 *   parsing and planning the same few statements on every request was a sixth of a read's time.
 *   better-sqlite3 runs one statement at a time and Kysely never iterates one while running
 *   another on the same connection (its connection mutex), so a kept statement is always free.
 */
export class SqliteConnection implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly connection: BetterSqlite3.Database) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.wrap(this.connection.prepare(sql));
      if (this.statements.size >= PREPARED_STATEMENTS) {
        this.statements.delete(this.statements.keys().next().value as string);
      }
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    if (this.connection.open) this.connection.close();
  }

  private wrap(statement: BetterSqlite3.Statement): SqliteStatement {
    const shape = statement.reader ? shapeOf(statement) : undefined;
    const bind = (parameters: readonly unknown[]) => parameters.map(toSqlite);
    return {
      reader: statement.reader,
      all(parameters) {
        if (!shape) return statement.all(...bind(parameters));
        if (!shape.needsDecoding) return statement.raw(false).all(...bind(parameters));
        return toRecords(statement.raw(true).all(...bind(parameters)) as SqliteValue[][], shape);
      },
      run: (parameters) => statement.run(...bind(parameters)),
      // Kysely streams only SELECTs, which read little here: the rows are decoded as `all` does.
      *iterate(parameters) {
        yield* this.all(parameters);
      },
    };
  }
}
