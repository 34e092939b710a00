import {
  type ChangeKind,
  type Feed,
  type FeedItem,
  type Feeds,
  feedPath,
  feeds,
  type Problem,
  ProblemSchema,
  RESET_EVENT,
} from '@lockstep/contract';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import { CONTRACT_VERSION_HEADERS } from './contract-notices.js';
import { HttpError, ResponseValidationError } from './errors.js';
import { traceHeaders } from './trace-context.js';
import { parseRetryAfter, resolveToken, type TransportOptions } from './transport.js';

/** One change a feed delivered, typed by the feed's resource: what `data:` held, and its cursor. */
export interface ChangeEvent<Item> {
  kind: ChangeKind;
  /** The event's id: pass it as `lastEventId` to resume after it. */
  cursor: string;
  id: number;
  /** The item as GET answers it; null once deleted. */
  item: Item | null;
  /** The item's ETag as GET answers it (for If-Match); null once deleted. */
  etag: string | null;
}

/** The server no longer holds the changes after the cursor resumed from: refetch, then keep following. */
export interface ResetEvent {
  kind: 'reset';
  cursor: string;
}

export type FeedMessage<Item> = ChangeEvent<Item> | ResetEvent;

type PathParams<F extends Feed> = F['pathParams'] extends z.ZodType ? { params: z.input<F['pathParams']> } : unknown;

export type FollowOptions<F extends Feed> = PathParams<F> & {
  /** The list's filters (a todo feed's `userId`). */
  query?: Omit<z.input<F['query']>, 'lastEventId'>;
  /** Resume after this event (a `cursor` received before); from now when absent. */
  lastEventId?: string;
  /** Stops following: the iteration ends. */
  signal?: AbortSignal;
};

/** `client.todos.changes(…)`: every change from now (or after `lastEventId`), for as long as it is iterated. */
export type FollowFeed<F extends Feed> = (options?: FollowOptions<F>) => AsyncIterable<FeedMessage<FeedItem<F>>>;

/** Until the server says otherwise with `retry:`, the pause before reconnecting (the HTML standard's suggestion). */
const DEFAULT_RECONNECT_MS = 1_000;
/** A 429 or 503 without Retry-After waits this long; a longer Retry-After is cut to the last. */
const REFUSED_WAIT_MS = { fallback: 5_000, max: 60_000 } as const;

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Parses what one SSE message holds into a typed event, checked against the feed's change schema. */
function toMessage<F extends Feed>(feed: F, message: EventSourceMessage): FeedMessage<FeedItem<F>> | undefined {
  const cursor = message.id ?? '';
  if (message.event === RESET_EVENT) return { kind: 'reset', cursor };
  const data: unknown = JSON.parse(message.data);
  const parsed = feed.change.safeParse(data);
  if (!parsed.success) {
    throw new ResponseValidationError(
      200,
      data,
      parsed.error.issues.map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message })),
    );
  }
  const change = parsed.data as { id: number; item: FeedItem<F> | null; etag: string | null };
  return { kind: message.event as ChangeKind, cursor, ...change };
}

/**
 * Follows one feed: a `fetch` of `text/event-stream` parsed as the HTML standard says
 * (eventsource-parser), so it runs alike in browsers and Node. When the stream ends or the
 * network fails, it reconnects after the server's `retry:` with the last event's id as
 * `Last-Event-ID`, so nothing is missed and nothing is repeated; a 429 or 503 waits for its
 * Retry-After. Any other error answer ends the iteration with an HttpError.
 */
function follow<F extends Feed>(feed: F, options: TransportOptions, baseUrl: string): FollowFeed<F> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return (followOptions) =>
    ({
      async *[Symbol.asyncIterator]() {
        const { signal, lastEventId, query } = (followOptions ?? {}) as FollowOptions<Feed>;
        const params = (followOptions as { params?: Record<string, string | number> } | undefined)?.params ?? {};
        const url = new URL(`${baseUrl}${feedPath(feed, params)}`);
        for (const [name, value] of Object.entries(query ?? {})) {
          if (value !== undefined) url.searchParams.set(name, String(value));
        }
        let cursor = lastEventId;
        let reconnectMs = DEFAULT_RECONNECT_MS;
        while (!signal?.aborted) {
          const headers = new Headers({
            ...CONTRACT_VERSION_HEADERS,
            ...traceHeaders(options.traceContext),
            accept: 'text/event-stream',
          });
          const token = await resolveToken(options.token);
          if (token) headers.set('authorization', `Bearer ${token}`);
          if (cursor) headers.set('last-event-id', cursor);
          let response: Response;
          try {
            response = await fetchImpl(url, { headers, signal, cache: 'no-store' });
          } catch {
            if (signal?.aborted) return;
            await sleep(reconnectMs, signal);
            continue;
          }
          if (response.status === 429 || response.status === 503) {
            await response.body?.cancel();
            const wait = parseRetryAfter(response.headers.get('retry-after')) ?? REFUSED_WAIT_MS.fallback;
            await sleep(Math.min(wait, REFUSED_WAIT_MS.max), signal);
            continue;
          }
          if (!response.ok || !response.body) {
            const body: unknown = await response.json().catch(() => undefined);
            const problem = ProblemSchema.safeParse(body);
            throw new HttpError(
              response.status,
              problem.success ? (problem.data as Problem) : undefined,
              response.headers,
              body,
            );
          }
          const pending: FeedMessage<FeedItem<F>>[] = [];
          const parser = createParser({
            onEvent: (message) => {
              const event = toMessage(feed, message);
              if (event) pending.push(event);
            },
            onRetry: (retry) => {
              reconnectMs = retry;
            },
          });
          const text = response.body.pipeThrough(new TextDecoderStream()).getReader();
          try {
            for (let read = await text.read(); !read.done; read = await text.read()) {
              parser.feed(read.value);
              while (pending.length > 0) {
                const event = pending.shift() as FeedMessage<FeedItem<F>>;
                cursor = event.cursor;
                yield event;
              }
            }
          } catch (error) {
            if (error instanceof ResponseValidationError) throw error;
            if (signal?.aborted) return;
            // The connection failed mid-stream: reconnect after the last event delivered.
          } finally {
            // A consumer that stopped iterating closes the connection.
            await text.cancel().catch(() => undefined);
          }
          await sleep(reconnectMs, signal);
        }
      },
    }) as AsyncIterable<FeedMessage<FeedItem<F>>>;
}

/** Every feed of the contract, at its resource's key: `{ todos: { changes }, … }`. */
export type FeedClients = { [K in keyof Feeds]: { changes: FollowFeed<Feeds[K]> } };

export function feedClients(options: TransportOptions, baseUrl: string): FeedClients {
  return Object.fromEntries(
    Object.entries(feeds).map(([key, feed]) => [key, { changes: follow(feed as Feed, options, baseUrl) }]),
  ) as FeedClients;
}
