import type { DataAccess } from '@lockstep/db';
import { sql } from 'kysely';

/**
 * What the tables of items (todos, users, transactions, events, guests) share: each row is
 * stamped `createdAt`/`updatedAt` and carries a `version` that every update bumps, the optimistic
 * concurrency of item writes (`ItemStore`). These helpers say it once for every store.
 */

/** A new row's columns: the values, stamped now (its version starts at the schema's default, 1). */
export function stamped<Values extends object>(values: Values): Values & { createdAt: Date; updatedAt: Date } {
  const now = new Date();
  return { ...values, createdAt: now, updatedAt: now };
}

/** An update's `set`: the columns written, stamped now, and the next version. */
export function nextVersionOf<Values extends object>(values: Values) {
  return { ...values, updatedAt: new Date(), version: sql<number>`${sql.ref('version')} + 1` };
}

/** The tables whose rows the API serves one by one, each versioned. */
export type ItemTable = 'todos' | 'users' | 'transactions' | 'events' | 'guests';

/** Deletes the row `id` if it is still at `version`; false when it has moved on (or is gone). */
export async function deleteItem(db: DataAccess, table: ItemTable, id: number, version: number): Promise<boolean> {
  const { numDeletedRows } = await db.write
    .deleteFrom(table)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return numDeletedRows > 0n;
}

/**
 * Locks the row `id` for the rest of the transaction without changing it, and answers its
 * version (undefined when there is no such row): PostgreSQL locks the row (`FOR UPDATE`, which
 * also holds off a child's insert, whose foreign key check needs the row); SQLite has no row
 * locks, and a write that changes nothing takes the database's write lock now, so no other
 * connection writes between this transaction's reads and its writes.
 */
export async function lockItemRow(tx: DataAccess, table: ItemTable, id: number): Promise<number | undefined> {
  const row =
    tx.engine === 'postgresql'
      ? await tx.write.selectFrom(table).select('version').where('id', '=', id).forUpdate().executeTakeFirst()
      : await tx.write
          .updateTable(table)
          .set((eb) => ({ version: eb.ref('version') }))
          .where('id', '=', id)
          .returning('version')
          .executeTakeFirst();
  return row?.version;
}

/** A JSON column's value: a plain object or an array (not a `Date`). */
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
export function changedColumns<Columns extends object>(next: Columns, current: Columns): Partial<Columns> {
  const previous = current as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(next).filter(([column, value]) => !sameValue(value, previous[column])),
  ) as Partial<Columns>;
}
