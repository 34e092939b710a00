import { type DatabaseReader, writerStatementsOf } from './database.js';
import { Prisma } from './generated/sqlite/client.js';
import { type ColumnValue, equalities, sqlName, sqlNames } from './select.js';

/**
 * Writes of item rows (insert, conditional update and delete): the tables whose rows the API
 * serves one by one, each with an autoincrement `id`, `createdAt`, `updatedAt` and a `version`
 * that every update bumps (the optimistic concurrency of item writes). One `INSERT … RETURNING`,
 * `UPDATE … RETURNING` or `DELETE` each: on SQLite outside transactions straight on the
 * connection (`WriterStatements`), elsewhere through Prisma's `$queryRaw` on `db` (the database
 * or a transaction), so a write costs the statement rather than the model API's query
 * interpretation. Values are scalars; JSON columns are written through the model API, which
 * knows their type. `constraintFailure` tells which constraint a failed write broke, either way.
 */
export interface ItemRowWrite<Column extends string> {
  table: string;
  /** The columns written; `createdAt`, `updatedAt` and `version` are the helpers' own. */
  values: Readonly<Record<string, ColumnValue>>;
  /** The columns of the row returned, as in `selectRows`. */
  returning: Readonly<Record<Column, true>>;
}

/** The rows a write statement returns, decoded alike on either path. */
function writeReturning<Row>(db: DatabaseReader, statement: Prisma.Sql): Promise<Row[]> {
  const writer = writerStatementsOf(db);
  return writer ? (writer.rows(statement.sql, statement.values) as Promise<Row[]>) : db.$queryRaw<Row[]>(statement);
}

/** Inserts one row at version 1, stamped now; answers the row. */
export async function insertItemRow<Row, Column extends string = string>(
  db: DatabaseReader,
  { table, values, returning }: ItemRowWrite<Column>,
): Promise<Row> {
  const now = new Date();
  const row = { ...values, createdAt: now, updatedAt: now };
  const [inserted] = await writeReturning<Row>(
    db,
    Prisma.sql`INSERT INTO ${sqlName(table)} (${sqlNames(Object.keys(row))}) VALUES (${Prisma.join(
      Object.values(row),
    )}) RETURNING ${sqlNames(Object.keys(returning))}`,
  );
  if (!inserted) throw new Error(`INSERT INTO ${table} returned no row`);
  return inserted;
}

/** A JSON column's value: a plain object or an array (not a `Date`, nor Prisma's `DbNull`). */
const isJson = (value: object) => Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;

/**
 * Whether two column values are the same: instants by their time, JSON by its text (members in
 * another order count as a change, which only writes the column), anything else by identity.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && isJson(a) && isJson(b)) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

/**
 * The members of `next` whose values differ from `current`'s: the columns an update has to write.
 * Naming an unchanged column costs: SQLite rewrites the entry of every index on a column that a
 * `SET` names, whatever its value (a todo PATCH that named all its columns wrote eight pages to
 * the log where its one changed column needed five, and an unchanged title one).
 */
export function changedColumns<Columns extends Record<string, unknown>>(
  next: Columns,
  current: Columns,
): Partial<Columns> {
  return Object.fromEntries(
    Object.entries(next).filter(([column, value]) => !sameValue(value, current[column])),
  ) as Partial<Columns>;
}

/**
 * Updates the row with `id` if it is still at `version`, bumping the version and stamping
 * `updatedAt`; answers the row, or undefined when the row has moved on (or is gone). Of
 * `values`, only the columns that differ from `current` (the row as read at `version`) are
 * written (`changedColumns`).
 */
export async function updateItemRow<Row, Column extends string = string>(
  db: DatabaseReader,
  {
    table,
    values,
    current,
    returning,
    id,
    version,
  }: ItemRowWrite<Column> & { current: Readonly<Record<string, ColumnValue>>; id: number; version: number },
): Promise<Row | undefined> {
  const assignments = Object.entries({ ...changedColumns(values, current), updatedAt: new Date() }).map(
    ([column, value]) => Prisma.sql`${sqlName(column)} = ${value}`,
  );
  const [updated] = await writeReturning<Row>(
    db,
    Prisma.sql`UPDATE ${sqlName(table)} SET ${Prisma.join(assignments, ', ')}, "version" = "version" + 1 WHERE ${Prisma.join(
      equalities({ id, version }),
      ' AND ',
    )} RETURNING ${sqlNames(Object.keys(returning))}`,
  );
  return updated;
}

/** Deletes the row with `id` if it is still at `version`; false when it has moved on (or is gone). */
export async function deleteItemRow(
  db: DatabaseReader,
  { table, id, version }: { table: string; id: number; version: number },
): Promise<boolean> {
  const statement = Prisma.sql`DELETE FROM ${sqlName(table)} WHERE ${Prisma.join(equalities({ id, version }), ' AND ')}`;
  const writer = writerStatementsOf(db);
  const deleted = await (writer ? writer.changes(statement.sql, statement.values) : db.$executeRaw(statement));
  return deleted > 0;
}
