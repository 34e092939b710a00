import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, type DatabaseReader, retryingTransaction, writerStatementsOf } from './database.js';
import { deleteItemRow, insertItemRow, updateItemRow } from './item-rows.js';
import { openSeededSqlite } from './testing.js';
import { constraintFailure } from './write-errors.js';

let db: Database;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ db, dispose } = await openSeededSqlite());
});
afterEach(() => dispose());

const returning = { id: true, ownerId: true, amount: true, occurredAt: true, version: true } as const;
const values = {
  ownerId: 'o',
  amount: -1250n,
  currency: 'EUR',
  description: 'd',
  occurredAt: new Date('2026-03-04T05:06:07.089Z'),
};

/** An insert, an update and a delete of one transaction row, as `writer` answers them (ids left out). */
async function writeAll(writer: DatabaseReader) {
  const { id, ...inserted } = await insertItemRow<{ id: number }>(writer, { table: 'transactions', values, returning });
  const { id: _, ...updated } = (await updateItemRow<{ id: number }>(writer, {
    table: 'transactions',
    values: { ...values, amount: 7n },
    current: values,
    returning,
    id,
    version: 1,
  })) ?? { id };
  const deleted = await deleteItemRow(writer, { table: 'transactions', id, version: 2 });
  return { inserted, updated, deleted };
}

describe('item rows', () => {
  it('insert at version 1, stamped, stored as Prisma stores them (its model API reads them back alike)', async () => {
    const before = Date.now();
    const row = await insertItemRow(db, { table: 'transactions', values, returning });
    expect(row).toEqual({
      id: expect.any(Number),
      ownerId: 'o',
      amount: -1250n,
      occurredAt: values.occurredAt,
      version: 1,
    });
    const read = await db.transaction.findUniqueOrThrow({ where: { id: (row as { id: number }).id } });
    expect(read).toMatchObject({ ...values, version: 1 });
    expect(read.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(read.updatedAt).toEqual(read.createdAt);
    // Sorted and compared as the model API's own writes are: the same text form on SQLite.
    expect(await db.transaction.count({ where: { occurredAt: values.occurredAt } })).toBe(1);
  });

  it('update only the version they were read at, bumping it; a stale version changes nothing', async () => {
    const { id } = await insertItemRow<{ id: number }>(db, { table: 'transactions', values, returning: { id: true } });
    const setAmount = (amount: bigint, at: { id: number; version: number }) =>
      updateItemRow(db, { table: 'transactions', values: { amount }, current: values, returning, ...at });
    expect(await setAmount(5n, { id, version: 1 })).toMatchObject({ id, amount: 5n, version: 2 });
    expect(await setAmount(9n, { id, version: 1 })).toBeUndefined();
    expect(await setAmount(9n, { id: 987654, version: 1 })).toBeUndefined();
    const read = await db.transaction.findUniqueOrThrow({ where: { id } });
    expect(read).toMatchObject({ amount: 5n, version: 2 });
    expect(read.updatedAt.getTime()).toBeGreaterThanOrEqual(read.createdAt.getTime());
  });

  it('update only the columns that differ from the row as read (SQLite rewrites an index on every column named)', async () => {
    const { id } = await insertItemRow<{ id: number }>(db, { table: 'transactions', values, returning: { id: true } });
    // The row changes behind the caller's back without a new version: a column the caller
    // leaves as it read it is not named in the SET, so that change stays; the one it changes is written.
    await db.$executeRaw`UPDATE "transactions" SET "description" = 'changed elsewhere' WHERE "id" = ${id}`;
    const changed = await updateItemRow(db, {
      table: 'transactions',
      values: { ...values, currency: 'USD', occurredAt: new Date(values.occurredAt.getTime()) },
      current: values,
      returning: { ...returning, currency: true, description: true },
      id,
      version: 1,
    });
    expect(changed).toMatchObject({ currency: 'USD', description: 'changed elsewhere', version: 2 });
    // Nothing differs: only the version and the stamp are written.
    const unchanged = await updateItemRow(db, {
      table: 'transactions',
      values: { ...values, currency: 'USD' },
      current: { ...values, currency: 'USD' },
      returning: { version: true, currency: true },
      id,
      version: 2,
    });
    expect(unchanged).toEqual({ version: 3, currency: 'USD' });
  });

  it('delete only the version they were read at', async () => {
    const { id } = await insertItemRow<{ id: number }>(db, { table: 'transactions', values, returning: { id: true } });
    expect(await deleteItemRow(db, { table: 'transactions', id, version: 2 })).toBe(false);
    expect(await db.transaction.count({ where: { id } })).toBe(1);
    expect(await deleteItemRow(db, { table: 'transactions', id, version: 1 })).toBe(true);
    expect(await db.transaction.count({ where: { id } })).toBe(0);
    expect(await deleteItemRow(db, { table: 'transactions', id, version: 1 })).toBe(false);
  });

  it('write on the connection outside transactions and through Prisma inside one, with the same rows', async () => {
    expect(writerStatementsOf(db)).toBeDefined();
    const outside = await writeAll(db);
    const inside = await retryingTransaction(db, async (tx) => {
      expect(writerStatementsOf(tx)).toBeUndefined();
      return writeAll(tx);
    });
    expect(outside).toEqual(inside);
    expect(outside.updated).toMatchObject({ amount: 7n, occurredAt: values.occurredAt, version: 2 });
    expect(outside.deleted).toBe(true);
  });

  it('report a broken constraint by its kind, on either path', async () => {
    const event = await db.event.create({ data: { ownerId: 'o', name: 'e', startsAt: new Date() } });
    const guest = { eventId: event.id, name: 'g', email: 'g@example.com', rsvp: 'yes' };
    const failures = async (writer: DatabaseReader) => [
      await insertItemRow(writer, {
        table: 'todos',
        values: { userId: 987654, title: 't', completed: false },
        returning: { id: true },
      }).catch(constraintFailure),
      await insertItemRow(writer, { table: 'guests', values: guest, returning: { id: true } }).catch(constraintFailure),
    ];
    await insertItemRow(db, { table: 'guests', values: guest, returning: { id: true } });
    expect(await failures(db)).toEqual(['foreignKey', 'unique']);
    await retryingTransaction(db, async (tx) => {
      expect(await failures(tx)).toEqual(['foreignKey', 'unique']);
    });
  });
});
