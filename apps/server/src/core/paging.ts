/**
 * Keyset ("seek") pagination: a page starts after the last row of the previous one, located by
 * its sort value and id, so reading page 1,000 costs what reading page 1 does. No OFFSET.
 */
import type { DB } from '@lockstep/db';
import { type SelectQueryBuilder, sql } from 'kysely';
import { ApiError } from './api-error.js';

export type SortDirection = 'asc' | 'desc';

/** The sort value of a row as it travels in a cursor: JSON-safe. */
export type CursorValue = string | number | boolean;

export interface PageRequest<Field extends string> {
  sort: { field: Field; direction: SortDirection };
  /** The last row of the previous page; absent for the first page. */
  after?: { value: CursorValue; id: number };
  limit: number;
}

export interface Page<Item> {
  items: Item[];
  /** Where the next page starts; absent on the last page. */
  next?: { value: CursorValue; id: number };
}

const invalidCursor = (detail: string, message: string) =>
  new ApiError(400, { detail, errors: [{ path: '/cursor', message, code: 'invalid_cursor' }] });

/** A cursor this server did not issue: malformed, edited, or from elsewhere. */
const foreignCursor = () =>
  invalidCursor('The cursor is not one this server issued; take it from a Link header.', 'is not a valid cursor');

/**
 * What a sortable column holds, so a cursor's sort value can be checked and turned back into a
 * column value: a cursor is client input, and an edited one must answer 400, not reach the query.
 */
export type SortKind = 'text' | 'integer' | 'bigint' | 'datetime';

/** The kind of every sortable field but `id` (always an integer). */
export type SortKinds<Field extends string> = Record<Exclude<Field, 'id'>, SortKind>;

type ColumnValue = string | number | bigint | Date;

/** A cursor's sort value as its column holds it, or undefined when it cannot be one. */
function toColumnValue(kind: SortKind, value: CursorValue): ColumnValue | undefined {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
      return Number.isSafeInteger(value) ? (value as number) : undefined;
    case 'bigint':
      return Number.isSafeInteger(value) ? BigInt(value) : undefined;
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined;
  }
}

/**
 * `query` (a store's select with its filters) narrowed to one page, ordered by the sort field with
 * id as the tie-breaker. The range is written `field >= v AND (field > v OR id > lastId)` rather
 * than as a plain OR: the leading range lets SQLite and PostgreSQL seek into the index
 * `(…filters, field, id)` instead of scanning it from the start. One row more than asked for
 * tells whether another page follows.
 *
 * `Field` must name columns of the table (the compiler checks the contract's sort fields against
 * the schema); `kinds` says what each holds, and a cursor value of another kind is refused (400).
 */
export function keysetQuery<Table extends keyof DB, Row, Field extends keyof DB[Table] & string>(
  query: SelectQueryBuilder<DB, Table, Row>,
  page: PageRequest<Field>,
  kinds: SortKinds<Field>,
): SelectQueryBuilder<DB, Table, Row> {
  const { field, direction } = page.sort;
  const id = sql.ref('id');
  const column = sql.ref(field);
  const strictly = direction === 'asc' ? '>' : '<';
  const orEqual = direction === 'asc' ? '>=' : '<=';
  let paged = query;
  const { after } = page;
  if (after && field === 'id') {
    paged = paged.where(id, strictly, after.id);
  } else if (after) {
    const value = toColumnValue((kinds as Record<string, SortKind>)[field] ?? 'integer', after.value);
    if (value === undefined) throw foreignCursor();
    paged = paged.where((eb) =>
      eb.and([eb(column, orEqual, value), eb.or([eb(column, strictly, value), eb(id, strictly, after.id)])]),
    );
  }
  if (field !== 'id') paged = paged.orderBy(column, direction);
  return paged.orderBy(id, direction).limit(page.limit + 1);
}

/** Cuts the extra row off and records where the next page starts. */
export function toPage<Item extends { id: number }>(
  rows: Item[],
  page: PageRequest<string>,
  sortValue: (item: Item) => CursorValue,
): Page<Item> {
  if (rows.length <= page.limit) return { items: rows };
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1] as Item;
  return { items, next: { value: sortValue(last), id: last.id } };
}

/**
 * One page of a list: runs `query` (the store's select with its filters) narrowed to the page;
 * rows become items and the next page's start is recorded.
 */
export async function keysetPage<
  Table extends keyof DB,
  Row,
  Field extends keyof DB[Table] & string,
  Item extends { id: number } & Record<Field, CursorValue>,
>(
  query: SelectQueryBuilder<DB, Table, Row>,
  page: PageRequest<Field>,
  toItem: (row: Row) => Item,
  kinds: SortKinds<Field>,
): Promise<Page<Item>> {
  const rows = await keysetQuery(query, page, kinds).execute();
  return toPage(rows.map(toItem), page, (item) => item[page.sort.field]);
}

/**
 * A list's equality filters as a Kysely filter object (`where((eb) => eb.and(…))`): the members
 * the client left out (undefined) are no condition, not `= NULL`.
 */
export function equalities<Filter extends object>(filter: Filter): Filter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as Filter;
}

/** The paging members every list query has, as the contract's schemas output them. */
export interface PagingQuery<Field extends string> {
  sort: Field | `-${Field}`;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The cursor is the sort it was made for plus the last row's sort value and id, as base64url
 * JSON. It is opaque to clients; carrying the sort lets a cursor used with another sort be
 * refused instead of silently skipping rows.
 */
export function encodeCursor(sort: string, after: { value: CursorValue; id: number }): string {
  return Buffer.from(JSON.stringify([sort, after.value, after.id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): { value: CursorValue; id: number } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parts: unknown[] = Array.isArray(decoded) ? decoded : [];
  const [sortOfCursor, value, id] = parts;
  const valid =
    parts.length === 3 &&
    typeof sortOfCursor === 'string' &&
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
    typeof id === 'number' &&
    Number.isSafeInteger(id);
  if (!valid) throw foreignCursor();
  if (sortOfCursor !== sort) {
    throw invalidCursor(
      `The cursor was issued for sort=${sortOfCursor}, not sort=${sort}.`,
      'belongs to another sort order',
    );
  }
  return { value, id };
}

/** The equality filters of a list query: everything but its paging members. */
export type ListFilter<Query> = Omit<Query, keyof PagingQuery<string>>;

/** `'-title'` → `'title'`: the field a `sort` value orders by. */
export type SortField<Sort extends string> = Sort extends `-${infer Field}` ? Field : Sort;

/** Turns validated `sort`, `limit` and `cursor` query parameters into a page request. */
export function pageRequest<Field extends string>(query: PagingQuery<Field>): PageRequest<Field> {
  const descending = query.sort.startsWith('-');
  const field = (descending ? query.sort.slice(1) : query.sort) as Field;
  return {
    sort: { field, direction: descending ? 'desc' : 'asc' },
    limit: query.limit,
    ...(query.cursor ? { after: decodeCursor(query.cursor, query.sort) } : {}),
  };
}

/** A list operation's outcome: one page of items and the opaque cursor of the next, if any. */
export interface ListOutcome<Item> {
  status: 200;
  body: Item[];
  next?: string;
}

/**
 * A list operation's whole work: splits `sort`, `limit` and `cursor` from the equality filters,
 * loads one page and encodes where the next one starts.
 */
export async function listPage<Query extends PagingQuery<string>, Item>(
  query: Query,
  load: (filter: ListFilter<Query>, page: PageRequest<SortField<Query['sort']>>) => Promise<Page<Item>>,
): Promise<ListOutcome<Item>> {
  const { sort, limit, cursor, ...filter } = query;
  const page = await load(filter, pageRequest({ sort, limit, cursor }) as PageRequest<SortField<Query['sort']>>);
  return { status: 200, body: page.items, ...(page.next ? { next: encodeCursor(sort, page.next) } : {}) };
}
