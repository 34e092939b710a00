import type { Request, Response } from 'express';
import type { CursorValue, Page, PageRequest } from '../repositories/keyset.js';
import { HttpProblem } from './http-problem.js';

interface ListQuery<Field extends string> {
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

function decodeCursor(cursor: string, sort: string): { value: CursorValue; id: number } {
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
  if (!valid) {
    throw new HttpProblem(400, 'The cursor is not one this server issued; take it from a Link header.', {}, [
      { path: '/cursor', message: 'is not a valid cursor', code: 'invalid_cursor' },
    ]);
  }
  if (sortOfCursor !== sort) {
    throw new HttpProblem(400, `The cursor was issued for sort=${sortOfCursor}, not sort=${sort}.`, {}, [
      { path: '/cursor', message: 'belongs to another sort order', code: 'invalid_cursor' },
    ]);
  }
  return { value, id };
}

/** Turns validated `sort`, `limit` and `cursor` query parameters into a page request. */
function pageRequest<Field extends string>(query: ListQuery<Field>): PageRequest<Field> {
  const descending = query.sort.startsWith('-');
  const field = (descending ? query.sort.slice(1) : query.sort) as Field;
  return {
    sort: { field, direction: descending ? 'desc' : 'asc' },
    limit: query.limit,
    ...(query.cursor ? { after: decodeCursor(query.cursor, query.sort) } : {}),
  };
}

/**
 * Announces the next page in a `Link: <…>; rel="next"` header (RFC 8288) and returns the items.
 * The link is the request's own path and query with the cursor replaced, relative to the server.
 */
function withNextLink<Item>(req: Pick<Request, 'originalUrl'>, res: Response, sort: string, page: Page<Item>): Item[] {
  if (page.next) {
    const url = new URL(req.originalUrl, 'http://placeholder');
    url.searchParams.set('cursor', encodeCursor(sort, page.next));
    res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return page.items;
}

/** `'-title'` → `'title'`: the field a `sort` value orders by. */
type SortField<Sort extends string> = Sort extends `-${infer Field}` ? Field : Sort;

/**
 * A list route's whole answer: splits `sort`, `limit` and `cursor` from the equality filters,
 * loads one page and announces the next in `Link`.
 */
export async function listResponse<Query extends ListQuery<string>, Item>(
  req: Pick<Request, 'originalUrl'>,
  res: Response,
  query: Query,
  load: (
    filter: Omit<Query, keyof ListQuery<string>>,
    page: PageRequest<SortField<Query['sort']>>,
  ) => Promise<Page<Item>>,
): Promise<{ status: 200; body: Item[] }> {
  const { sort, limit, cursor, ...filter } = query;
  const page = await load(filter, pageRequest({ sort, limit, cursor }) as PageRequest<SortField<Query['sort']>>);
  return { status: 200, body: withNextLink(req, res, sort, page) };
}
