import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  committedReadsOf,
  type Database,
  readsOutsidePrisma,
  retryingTransaction,
  shareOutsidePrisma,
} from './database.js';
import { selectRows } from './select.js';
import { openSeededPostgresql, openSeededSqlite } from './testing.js';

const all = <Row extends object>(row: Row) =>
  Object.fromEntries(Object.keys(row).map((column) => [column, true])) as Record<keyof Row & string, true>;

// Off UTC, so that a column read or a value bound in the process's own time zone shows here (this
// file runs in a process of its own).
process.env.TZ = 'America/New_York';

// Each engine reads outside Prisma's client on a connection of its own kind.
const engines = [
  { engine: 'SQLite', open: openSeededSqlite, readsOf: committedReadsOf },
  { engine: 'PostgreSQL', open: openSeededPostgresql, readsOf: readsOutsidePrisma },
];

describe.each(engines)('selectRows on $engine', ({ open, readsOf }) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ db, dispose } = await open());
  });
  afterEach(() => dispose());

  it('reads outside transactions off Prisma, every column decoded as Prisma decodes it', async () => {
    expect(readsOf(db)).toBeDefined();
    // Values of every kind the tables hold: nulls, JSON, big and negative bigints, instants.
    await db.user.create({ data: { name: 'No Extras' } });
    await db.transaction.createMany({
      data: [
        {
          ownerId: 'o',
          amount: 2n ** 62n,
          currency: 'EUR',
          description: 'big',
          occurredAt: new Date('2026-01-02T03:04:05.678Z'),
        },
        { ownerId: 'o', amount: -5n, currency: 'JPY', description: 'neg', occurredAt: new Date(0) },
      ],
    });
    const event = await db.event.create({ data: { ownerId: 'o', name: 'Open', startsAt: new Date() } });
    await db.event.create({
      data: { ownerId: 'o', name: 'Full', startsAt: new Date(), endsAt: new Date(), location: 'Hall', capacity: 3 },
    });
    await db.guest.create({ data: { eventId: event.id, name: 'Ann', email: 'ann@example.com' } });
    await db.apiKey.create({ data: { id: 'k1', name: 'k', ownerId: 'o', secretHash: 'h', scopes: 'read' } });
    await db.apiKey.create({
      data: { id: 'k2', name: 'k', ownerId: 'o', secretHash: 'h', scopes: '', revokedAt: new Date() },
    });

    const byPrisma = {
      users: await db.user.findMany({ orderBy: { id: 'asc' } }),
      todos: await db.todo.findMany({ orderBy: { id: 'asc' } }),
      transactions: await db.transaction.findMany({ orderBy: { id: 'asc' } }),
      events: await db.event.findMany({ orderBy: { id: 'asc' } }),
      guests: await db.guest.findMany({ orderBy: { id: 'asc' } }),
      api_keys: await db.apiKey.findMany({ orderBy: { id: 'asc' } }),
    };
    for (const [table, rows] of Object.entries(byPrisma)) {
      const columns = all(rows[0] as object);
      const direct = await selectRows(db, { from: table, columns, orderBy: [{ column: 'id', direction: 'asc' }] });
      expect(direct, table).toEqual(rows);
      // The same statement through Prisma's client (inside a transaction) agrees too.
      const throughPrisma = await retryingTransaction(db, (tx) =>
        selectRows(tx, { from: table, columns, orderBy: [{ column: 'id', direction: 'asc' }] }),
      );
      expect(throughPrisma, table).toEqual(rows);
    }
  });

  it('binds booleans, instants, bigints and NULL as the stored values they match', async () => {
    const count = async (where: Parameters<typeof selectRows>[1]['where'], from = 'todos') =>
      (await selectRows(db, { from, columns: { id: true }, where })).length;
    expect(await count({ completed: true })).toBe(await db.todo.count({ where: { completed: true } }));
    expect(await count({ userId: 1, completed: false })).toBe(
      await db.todo.count({ where: { userId: 1, completed: false } }),
    );
    const occurredAt = new Date('2026-05-06T07:08:09.010Z');
    await db.transaction.create({ data: { ownerId: 'o', amount: 7n, currency: 'EUR', description: 'd', occurredAt } });
    expect(await count({ occurredAt }, 'transactions')).toBe(1);
    expect(await count({ amount: 7n }, 'transactions')).toBe(1);
    expect(await count({ endsAt: null }, 'events')).toBe(0);
  });

  it('sees a transaction’s own writes inside it, and outside only once it commits', async () => {
    const title = async (reader: Parameters<typeof selectRows>[0]) =>
      (await selectRows<{ title: string }>(reader, { from: 'todos', columns: { title: true }, where: { id: 2 } }))[0]
        ?.title;
    const before = await title(db);
    await retryingTransaction(db, async (tx) => {
      await tx.todo.update({ where: { id: 2 }, data: { title: 'in flight' } });
      expect(await title(tx)).toBe('in flight');
      expect(await title(db)).toBe(before);
    });
    expect(await title(db)).toBe('in flight');
  });

  it('lets a registered wrapper read off Prisma only while it says it is outside a transaction', async () => {
    let outside = true;
    const wrapper = new Proxy(db, {});
    expect(readsOf(wrapper)).toBeUndefined();
    shareOutsidePrisma(wrapper, db, () => outside);
    expect(readsOf(wrapper)).toBe(readsOf(db));
    outside = false;
    expect(readsOf(wrapper)).toBeUndefined();
  });

  it('closes the read connection with the client, and reads go through Prisma after', async () => {
    await db.$disconnect();
    expect(readsOf(db)).toBeUndefined();
    expect(await selectRows(db, { from: 'todos', columns: { id: true }, where: { id: 1 } })).toEqual([{ id: 1 }]);
  });

  it('refuses a table or column that is not a plain name', async () => {
    await expect(selectRows(db, { from: 'todos; DROP TABLE todos', columns: { id: true } })).rejects.toThrow(
      /not a table/,
    );
    await expect(selectRows(db, { from: 'todos', columns: { 'id"': true } })).rejects.toThrow(/not a table/);
  });
});
