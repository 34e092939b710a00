import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One event a feed sent, its `data` parsed. */
export interface ReceivedEvent {
  id: string | undefined;
  event: string | undefined;
  data: { id: number; item: Record<string, unknown> | null; etag: string | null } | Record<string, never>;
}

export interface FeedReader {
  status: number;
  headers: Headers;
  /** The answer's body when it is not a stream (a problem). */
  problem: unknown;
  /** Every event received so far, in order. */
  events: ReceivedEvent[];
  /** Comment lines received so far (heartbeats). */
  comments: number;
  /** The `retry:` values received. */
  retries: number[];
  /** Resolves once `count` events have arrived in all (rejects after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens a feed with `fetch` and parses the stream as a browser's EventSource would
 * (eventsource-parser), keeping what arrived for the test to look at.
 */
export async function openFeed(url: string, headers: Record<string, string> = {}): Promise<FeedReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: ReceivedEvent[] = [];
  const retries: number[] = [];
  let comments = 0;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  const problem = streaming ? undefined : await response.json().catch(() => undefined);
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      events.push({ id: message.id, event: message.event, data: JSON.parse(message.data) as ReceivedEvent['data'] });
      notify();
    },
    onRetry: (retry) => retries.push(retry),
    onComment: () => {
      comments += 1;
    },
  });
  const ended = (async () => {
    if (!streaming || !response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // Aborted by the test, or cut by the server: what arrived is kept.
    }
    notify();
  })();
  const reader: FeedReader = {
    status: response.status,
    headers: response.headers,
    problem,
    events,
    get comments() {
      return comments;
    },
    retries,
    waitForEvents: (count, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (events.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events.slice(0, count));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${events.length} of ${count} events arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    ended,
    close: () => abort.abort(),
  };
  return reader;
}
