import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { Prisma } from './generated/sqlite/client.js';
import { deleteItemRow, insertItemRow, updateItemRow } from './item-rows.js';
import { openSeededSqlite } from './testing.js';

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

  it('report a broken constraint as P2010 with the driver’s kind', async () => {
    const failure = await insertItemRow(db, {
      table: 'todos',
      values: { userId: 987654, title: 't', completed: false },
      returning: { id: true },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(failure).toMatchObject({
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'ForeignKeyConstraintViolation' } } },
    });
  });
});
