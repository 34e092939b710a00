import type { DB } from '@lockstep/db';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetQuery, pageRequest, toPage } from './paging.js';

/** Kysely that only compiles (its documented cold build): the SQL a page would run, without a database. */
const compileOnly = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe('cursors', () => {
  it('round-trip the sort, the sort value and the id', () => {
    const cursor = encodeCursor('-title', { value: 'milk', id: 7 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, '-title')).toEqual({ value: 'milk', id: 7 });
  });

  it('refuse a cursor of another sort, and anything this server did not issue', () => {
    const otherSort = encodeCursor('id', { value: 1, id: 1 });
    expect(() => decodeCursor(otherSort, 'title')).toThrow(expect.objectContaining({ status: 400 }));
    const forged = [
      'not-base64-json',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["id",1]').toString('base64url'),
      Buffer.from('["id",{},1]').toString('base64url'),
      Buffer.from('["id",1,1.5]').toString('base64url'),
    ];
    for (const cursor of forged) {
      expect(() => decodeCursor(cursor, 'id'), cursor).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ code: 'invalid_cursor' })] }),
      );
    }
  });
});

describe('keyset pages', () => {
  it('refuse a cursor whose sort value is not what the column holds (400, not a query)', () => {
    const kinds = { occurredAt: 'datetime', amount: 'bigint' } as const;
    const transactions = compileOnly.selectFrom('transactions').select('id');
    for (const [sort, value] of [
      ['occurredAt', 'not a date'],
      ['occurredAt', 7],
      ['amount', 1.5],
      ['amount', 'x'],
    ] as const) {
      const page = pageRequest({ sort, limit: 1, cursor: encodeCursor(sort, { value, id: 1 }) });
      expect(() => keysetQuery(transactions, page, kinds), `${sort}=${value}`).toThrow(
        expect.objectContaining({ status: 400 }),
      );
    }
    const ok = pageRequest({ sort: 'amount', limit: 1, cursor: encodeCursor('amount', { value: -5, id: 1 }) });
    expect(keysetQuery(transactions, ok, kinds).compile().parameters).toEqual([-5n, -5n, 1, 2]);
  });

  it('order by the field, then id, and seek past the previous page without OFFSET', () => {
    const page = pageRequest({ sort: '-title', limit: 2, cursor: encodeCursor('-title', { value: 'm', id: 5 }) });
    const todos = compileOnly.selectFrom('todos').select(['id', 'title']).where('userId', '=', 1);
    const { sql, parameters } = keysetQuery(todos, page, { title: 'text' }).compile();
    expect(sql).toBe(
      'select "id", "title" from "todos" where "userId" = ? and ("title" <= ? and ("title" < ? or "id" < ?)) ' +
        'order by "title" desc, "id" desc limit ?',
    );
    expect(parameters).toEqual([1, 'm', 'm', 5, 3]);
  });

  it('announce a next page only when one more row than asked came back', () => {
    const request = pageRequest({ sort: 'id', limit: 2 });
    expect(toPage([{ id: 1 }, { id: 2 }], request, (row) => row.id)).toEqual({ items: [{ id: 1 }, { id: 2 }] });
    expect(toPage([{ id: 1 }, { id: 2 }, { id: 3 }], request, (row) => row.id)).toEqual({
      items: [{ id: 1 }, { id: 2 }],
      next: { value: 2, id: 2 },
    });
  });
});
