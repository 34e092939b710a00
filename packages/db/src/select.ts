import { CommittedReads } from './committed-reads.js';
import { type DatabaseReader, readsOutsidePrisma } from './database.js';
import { Prisma } from './generated/sqlite/client.js';

/** What a column is compared with: `null` matches SQL NULL (`IS NULL`). */
export type ColumnValue = string | number | bigint | boolean | Date | null;

/** Table and column names as the schema maps them: plain names, never anything a client sent. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table or column name as SQL: quoted the way both SQLite and PostgreSQL read it. */
export function sqlName(name: string): Prisma.Sql {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a table or column name`);
  return Prisma.raw(`"${name}"`);
}

/** `"column" = value` for each member that is not undefined; `IS NULL` for null. */
export function equalities(where: Readonly<Record<string, ColumnValue | undefined>>): Prisma.Sql[] {
  return Object.entries(where)
    .filter((entry): entry is [string, ColumnValue] => entry[1] !== undefined)
    .map(([column, value]) =>
      value === null ? Prisma.sql`${sqlName(column)} IS NULL` : Prisma.sql`${sqlName(column)} = ${value}`,
    );
}

/** A column list: `"a", "b"`. */
export const sqlNames = (columns: readonly string[]): Prisma.Sql => Prisma.join(columns.map(sqlName), ', ');

export interface Select<Column extends string> {
  /** The table (its `@@map` name). */
  from: string;
  /** The columns read, as Prisma's `select` names them (`{ id: true, … }`), in the order rows list them. */
  columns: Readonly<Record<Column, true>>;
  /** Equalities, ANDed; an `undefined` member is no condition (a filter the caller left out). */
  where?: Readonly<Record<string, ColumnValue | undefined>>;
  /** Further conditions written as SQL with bound values (a keyset range, say), ANDed too. */
  and?: readonly Prisma.Sql[];
  orderBy?: readonly { column: string; direction: 'asc' | 'desc' }[];
  limit?: number;
}

/**
 * One SELECT of the given columns, run on `db` — the database, or a transaction, whose own
 * writes it then sees — with every value bound as a parameter. Rows come back decoded as
 * Prisma decodes its model queries on either engine (booleans, `Date`s, `bigint`s, parsed
 * JSON), so a store's row mapper serves both. A read outside transactions runs off Prisma's
 * client altogether: on SQLite on the committed-reads connection (`CommittedReads`), on
 * PostgreSQL on the pool Prisma's adapter shares (`PostgresqlReads`).
 *
 * Why not the model API (`findUnique`, `findMany`): reads by id and pages are most of what the
 * server does, and for them Prisma's client spends most of its time building and interpreting
 * the query, not running it: a `findUnique` by id cost about 140 µs of CPU where the same
 * statement sent raw cost 50 µs (and better-sqlite3 alone 4 µs).
 */
export async function selectRows<Row, Column extends string = string>(
  db: DatabaseReader,
  select: Select<Column>,
): Promise<Row[]> {
  const conditions = [...equalities(select.where ?? {}), ...(select.and ?? [])];
  const order = (select.orderBy ?? []).map(
    ({ column, direction }) => Prisma.sql`${sqlName(column)} ${Prisma.raw(direction === 'desc' ? 'DESC' : 'ASC')}`,
  );
  const columns = sqlNames(Object.keys(select.columns));
  const where = conditions.length > 0 ? Prisma.sql` WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const orderBy = order.length > 0 ? Prisma.sql` ORDER BY ${Prisma.join(order, ', ')}` : Prisma.empty;
  const limit = select.limit !== undefined ? Prisma.sql` LIMIT ${select.limit}` : Prisma.empty;
  const query = Prisma.sql`SELECT ${columns} FROM ${sqlName(select.from)}${where}${orderBy}${limit}`;
  const reads = readsOutsidePrisma(db);
  if (reads instanceof CommittedReads) return reads.rows(query.sql, query.values) as Row[];
  if (reads) return (await reads.rows(query.text, query.values)) as Row[];
  return db.$queryRaw<Row[]>(query);
}
