import { z } from 'zod';
import { IdSchema, PathIdSchema } from './common.js';
import { EventPathParamsSchema, EventSchema } from './events.js';
import { GuestSchema } from './guests.js';
import { type Access, type ContractPath, pathPattern } from './routes.js';
import { TodoSchema } from './todos.js';
import { TransactionSchema } from './transactions.js';
import { UserSchema } from './users.js';

/**
 * Change feeds: for each resource, a Server-Sent Events stream (WHATWG HTML §9.2) of every
 * committed change to its items, in commit order. Each event is
 *   id: <opaque cursor> / event: created | updated | deleted / data: {"id", "item", "etag"}
 * where `item` is the resource as GET answers it (null once deleted) and `etag` its ETag. A
 * client resumes after the last event it saw with `Last-Event-ID` (or `?lastEventId=`); when
 * that event is older than the server keeps changes, it gets `event: reset` and refetches.
 *
 * ts-rest has no streaming responses, so feeds are declared here beside the routes rather than
 * as routes: the server, the client, tRPC and the OpenAPI document all read this one object.
 */

export const CHANGE_KINDS = ['created', 'updated', 'deleted'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The `event:` of a resume from a cursor older than the retained changes: refetch, then follow. */
export const RESET_EVENT = 'reset';

/**
 * A feed's cursor, as the server hands it out in `id:`: opaque to clients (two base-36 numbers,
 * the change's position and its time in seconds, each as long as a safe integer and a valid
 * instant allow), refused with 400 when it is anything else.
 */
export const FEED_CURSOR_PATTERN = '^[0-9a-z]{1,10}-[0-9a-z]{1,8}$';

export const FeedCursorSchema = z
  .string()
  .regex(new RegExp(FEED_CURSOR_PATTERN))
  .describe('The `id:` of the last event received: the feed resumes after it. Same as the Last-Event-ID header.');

/** The `data:` of one change: which item, the item as GET answers it (null once deleted), its ETag. */
export const changeSchema = <Item extends z.ZodType>(item: Item) =>
  z.object({
    id: IdSchema,
    item: item.nullable(),
    etag: z.string().nullable().describe('The ETag GET answers for the item now; null once deleted.'),
  });

/** One event of a feed as a client receives it: the cursor to resume after, the kind and the data. */
export interface FeedEvent<Item> {
  cursor: string;
  kind: ChangeKind;
  data: { id: number; item: Item | null; etag: string | null };
}

/** The resources that have a feed, named as in the contract. */
export type FeedResource = 'todos' | 'users' | 'transactions' | 'events' | 'guests';

export interface Feed<
  Item extends z.ZodType = z.ZodType,
  Query extends z.ZodObject = z.ZodObject,
  Params extends z.ZodObject | undefined = z.ZodObject | undefined,
> {
  resource: FeedResource;
  path: string;
  /** As the resource's list: `public` feeds are open, `owner` ones need a `read` key and show only the owner's rows. */
  access: Access;
  pathParams: Params;
  /** The filters the list has, plus `lastEventId`. */
  query: Query;
  item: Item;
  /** The `data:` of each event. */
  change: ReturnType<typeof changeSchema<Item>>;
  summary: string;
}

function feed<
  Item extends z.ZodType,
  Filters extends z.ZodRawShape,
  Params extends z.ZodObject | undefined,
>(declaration: {
  resource: FeedResource;
  path: string;
  access: Access;
  item: Item;
  filters: Filters;
  pathParams: Params;
  summary: string;
}) {
  const { filters, ...rest } = declaration;
  return {
    ...rest,
    query: z.object({ ...filters, lastEventId: FeedCursorSchema.optional() }).strict(),
    change: changeSchema(declaration.item),
  };
}

export const feeds = {
  todos: feed({
    resource: 'todos',
    path: '/todos/changes',
    access: 'public',
    item: TodoSchema,
    filters: { userId: PathIdSchema.optional() },
    pathParams: undefined,
    summary: "Follow every change to todos (optionally one user's) as Server-Sent Events",
  }),
  users: feed({
    resource: 'users',
    path: '/users/changes',
    access: 'public',
    item: UserSchema,
    filters: {},
    pathParams: undefined,
    summary: 'Follow every change to users as Server-Sent Events',
  }),
  transactions: feed({
    resource: 'transactions',
    path: '/transactions/changes',
    access: 'owner',
    item: TransactionSchema,
    filters: {},
    pathParams: undefined,
    summary: "Follow every change to the caller's transactions as Server-Sent Events",
  }),
  events: feed({
    resource: 'events',
    path: '/events/changes',
    access: 'owner',
    item: EventSchema,
    filters: {},
    pathParams: undefined,
    summary: "Follow every change to the caller's events as Server-Sent Events",
  }),
  guests: feed({
    resource: 'guests',
    path: '/events/:eventId/guests/changes',
    access: 'owner',
    item: GuestSchema,
    filters: {},
    pathParams: EventPathParamsSchema,
    summary: "Follow every change to the guests of one of the caller's events as Server-Sent Events",
  }),
} as const;

export type Feeds = typeof feeds;

/** The item type a feed carries. */
export type FeedItem<F extends Feed> = z.output<F['item']>;

/** Every feed, as a list. */
export const feedList = (): Feed[] => Object.values(feeds) as Feed[];

/** The feeds' paths, each answering GET only: for a 405's `Allow`, checked before the contract's `/todos/:id`. */
export const feedPaths = (): ContractPath[] =>
  feedList().map(({ path }) => ({ path, methods: ['GET'], pattern: pathPattern(path) }));

/** A feed's path with its parameters filled in: `/events/:eventId/guests/changes` → `/events/7/guests/changes`. */
export const feedPath = (feed: Pick<Feed, 'path'>, params: Record<string, string | number> = {}): string =>
  feed.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));
