/**
 * Keyset ("seek") pagination: a page starts after the last row of the previous one, located by
 * its sort value and id, so reading page 1,000 costs what reading page 1 does. No OFFSET.
 */

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

type ColumnValue = string | number | bigint | boolean | Date;

/**
 * The Prisma `where` and `orderBy` for one page, ordered by the sort field with id as the
 * tie-breaker. The condition is written `field >= v AND (field > v OR id > lastId)` rather
 * than as a plain OR: the leading range lets SQLite and PostgreSQL seek into the index
 * `(…filters, field, id)` instead of scanning it from the start.
 *
 * `toColumn` turns a cursor value back into what the column holds (a Date for DateTime).
 */
export function keysetQuery<Field extends string>(
  page: PageRequest<Field>,
  toColumn: (field: Field, value: CursorValue) => ColumnValue = (_field, value) => value,
) {
  const { field, direction } = page.sort;
  const orderBy: Array<Record<string, SortDirection>> =
    field === 'id' ? [{ id: direction }] : [{ [field]: direction }, { id: direction }];
  const strictly = direction === 'asc' ? 'gt' : 'lt';
  const orEqual = direction === 'asc' ? 'gte' : 'lte';
  let where: Record<string, unknown> = {};
  if (page.after) {
    if (field === 'id') {
      where = { id: { [strictly]: page.after.id } };
    } else {
      const value = toColumn(field, page.after.value);
      where = {
        [field]: { [orEqual]: value },
        OR: [{ [field]: { [strictly]: value } }, { id: { [strictly]: page.after.id } }],
      };
    }
  }
  // One row more than asked tells whether another page follows.
  return { where, orderBy, take: page.limit + 1 };
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
