import type BetterSqlite3 from 'better-sqlite3';

/** A value as better-sqlite3 hands it over or binds it. */
export type SqliteValue = string | number | bigint | Buffer | null;

/** A bound value as Prisma's SQLite adapter writes it: booleans as 0/1, instants as ISO 8601 with `+00:00`. */
export function toSqlite(value: unknown): SqliteValue {
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

/** How one statement's rows become records: its column names and a decoder per column. */
export interface RowShape {
  names: string[];
  decode: Decode[];
}

/**
 * A column's values as Prisma's client decodes them, by the column's declared type in the
 * schema's DDL: `BOOLEAN` → boolean, `DATETIME` → `Date`, `BIGINT` → bigint, `JSONB` → parsed
 * JSON, `INTEGER` → number; text and nulls as they are. `select.test.ts` and `item-rows.test.ts`
 * hold rows read and written both ways side by side.
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
 * The shapes of a connection's statements, each worked out once: statements are prepared once
 * per SQL text (`cacheStatements`), and so is their column list, which keys this map.
 */
export class RowShapes {
  private readonly shapes = new WeakMap<readonly BetterSqlite3.ColumnDefinition[], RowShape>();

  /**
   * @param ownConnection whether the statements are this reader's alone, so it may choose how
   * each hands over integers. Prisma's connection reads every integer as a bigint (the decoders
   * turn INTEGER columns back into numbers), and its statements are left as Prisma set them.
   */
  constructor(private readonly ownConnection: boolean) {}

  of(statement: BetterSqlite3.Statement): RowShape {
    const columns = statement.columns();
    let shape = this.shapes.get(columns);
    if (!shape) {
      const types = columns.map((column) => column.type?.toUpperCase() ?? '');
      shape = { names: columns.map((column) => column.name), decode: types.map((type) => decoders[type] ?? asStored) };
      // Integers arrive as bigint only from statements that read a BIGINT column, so one beyond
      // 2^53 keeps its digits; the rest (INTEGER columns are 32-bit here) come as numbers, which
      // costs a page of rows far less than a bigint per cell.
      if (this.ownConnection) statement.safeIntegers(types.includes('BIGINT'));
      this.shapes.set(columns, shape);
    }
    return shape;
  }
}

/** Raw rows (`statement.raw().all()`) as records, every value decoded afresh. */
export function decodeRows(rows: readonly (readonly SqliteValue[])[], { names, decode }: RowShape) {
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < row.length; i += 1) {
      const value = row[i] as SqliteValue;
      record[names[i] as string] = value === null ? null : (decode[i] as Decode)(value);
    }
    return record;
  });
}
