/**
 * The change feeds of a deployment, followed as a client follows them: each feed is opened, a
 * change is made, and it must arrive typed as the contract says; a resume after that event must
 * deliver the next change (made while no stream was open) and not repeat the first; and for
 * owned feeds, another owner's stream must never see it.
 */
import {
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  conformanceConsumer,
  type Feed,
  feedList,
  feedPath,
} from '@lockstep/contract';
import { createParser } from 'eventsource-parser';
import { isRow } from './expectations.js';
import { fillPath, labelOf, type Resource } from './resources.js';
import type { Run } from './run.js';
import type { Caller } from './session.js';

interface StreamEvent {
  id: string | undefined;
  event: string | undefined;
  data: unknown;
}

/** How long a change may take to arrive on a feed before verify says it did not. */
const ARRIVAL_MS = 5_000;

/**
 * How long a feed may take to start answering. A proxy that buffers whole responses never
 * starts one: the stream then counts as not answered (status 0), as a client would find it.
 */
const OPEN_MS = 5_000;

interface OpenStream {
  status: number;
  events: StreamEvent[];
  /** Resolves once an event passes `test`, or with undefined after `waitMs`. */
  next(test: (event: StreamEvent) => boolean, waitMs?: number): Promise<StreamEvent | undefined>;
  close(): void;
}

/** Opens a feed and keeps every event it sends, parsed as EventSource parses them. */
async function openStream(run: Run, path: string, as: Caller, lastEventId?: string): Promise<OpenStream> {
  const key = as === 'anonymous' ? undefined : run.session.keys[as];
  const abort = new AbortController();
  const opening = setTimeout(() => abort.abort(), OPEN_MS);
  const events: StreamEvent[] = [];
  let response: Response;
  try {
    response = await fetch(new URL(path, run.baseUrl), {
      headers: {
        accept: 'text/event-stream',
        [CONTRACT_VERSION_HEADER]: conformanceConsumer(CONTRACT_VERSION),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: abort.signal,
    });
  } catch {
    return { status: 0, events, next: async () => undefined, close: () => abort.abort() };
  } finally {
    clearTimeout(opening);
  }
  const listeners = new Set<() => void>();
  const parser = createParser({
    onEvent: (message) => {
      let data: unknown = message.data;
      try {
        data = JSON.parse(message.data);
      } catch {
        // Kept as text: the check on its shape says what is wrong.
      }
      events.push({ id: message.id, event: message.event, data });
      for (const listener of listeners) listener();
    },
  });
  if (response.ok && response.body) {
    const text = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (let read = await text.read(); !read.done; read = await text.read()) parser.feed(read.value);
      } catch {
        // Closed by verify, or cut by the deployment: what arrived is kept.
      }
    })();
  } else {
    await response.body?.cancel();
  }
  return {
    status: response.status,
    events,
    next: (test, waitMs = ARRIVAL_MS) =>
      new Promise((resolve) => {
        const check = () => {
          const found = events.find(test);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          resolve(undefined);
        }, waitMs);
        listeners.add(check);
        check();
      }),
    close: () => abort.abort(),
  };
}

const aboutItem = (id: number) => (event: StreamEvent) =>
  isRow(event.data) && (event.data as { id?: unknown }).id === id;

async function followFeed(run: Run, feed: Feed, resource: Resource): Promise<void> {
  const label = `${feed.resource}.changes`;
  const { session } = run;
  const parentParams = await run.parentParams(resource);
  const create = resource.routes.create?.route;
  const body = parentParams && create && (await run.body(create, { minimal: true }));
  if (!parentParams || !create || !body || !resource.routes.remove) {
    run.skip(`${label}: nothing to change on ${feed.path}`);
    return;
  }
  const path = feedPath(feed, parentParams);
  const stream = await openStream(run, path, 'key');
  if (
    !session.record(label, `GET ${feed.path} answers 200 text/event-stream`, stream.status === 200, {
      expected: `status 200 within ${OPEN_MS} ms`,
      actual: stream.status === 0 ? 'no answer started (a proxy buffering the stream?)' : `status ${stream.status}`,
    })
  ) {
    stream.close();
    return;
  }
  const other = feed.access === 'owner' && session.keys.otherKey ? await openStream(run, path, 'otherKey') : undefined;
  const { item } = await run.create(resource, parentParams, body);
  if (!item) {
    stream.close();
    other?.close();
    return;
  }
  const created = await stream.next(aboutItem(item.id));
  stream.close();
  session.record(label, 'a create arrives as event: created', created?.event === 'created', {
    expected: `event: created for id ${item.id} within ${ARRIVAL_MS} ms`,
    actual: created ? `event: ${created.event}` : 'nothing arrived',
  });
  const parsed = created && feed.change.safeParse(created.data);
  session.record(
    label,
    "its data is the contract's change: the item as GET answers it, and its ETag",
    parsed?.success === true && JSON.stringify((parsed.data as { item: unknown }).item) === JSON.stringify(item.row),
    {
      expected: JSON.stringify({ id: item.id, item: item.row }),
      actual: created ? JSON.stringify(created.data) : 'nothing arrived',
    },
  );
  if (other) {
    // Another owner's stream, open all along: on a guest feed the event is not theirs (404);
    // elsewhere it is open and must stay silent about this row.
    const seen = other.status === 200 ? await other.next(aboutItem(item.id), 500) : undefined;
    other.close();
    session.record(
      label,
      "another owner's stream never sees the change",
      seen === undefined && [200, 404].includes(other.status),
      {
        expected: "no event about another owner's row",
        actual: seen ? `event: ${seen.event} ${JSON.stringify(seen.data)}` : `status ${other.status}`,
      },
    );
  }
  if (!created?.id) return;
  // Deleted while no stream is open: a resume after the created event must bring exactly that.
  const remove = resource.routes.remove;
  await session.send(labelOf(remove), remove.route, {
    method: 'DELETE',
    path: fillPath(remove.route.path, item.params),
  });
  const resumed = await openStream(run, path, 'key', created.id);
  const deleted = await resumed.next(aboutItem(item.id));
  resumed.close();
  session.record(
    label,
    'a resume after Last-Event-ID brings the next change, and not the one before',
    deleted?.event === 'deleted' && resumed.events.every((event) => event.id !== created.id),
    {
      expected: `event: deleted for id ${item.id}, and no event ${created.id}`,
      actual: resumed.events.map((event) => `${event.id} ${event.event}`).join(', ') || 'nothing arrived',
    },
  );
}

/** Every feed of the contract, in a read-write run. */
export async function followFeeds(run: Run): Promise<void> {
  for (const feed of feedList()) {
    const label = `${feed.resource}.changes`;
    if (!run.wants(label)) continue;
    const resource = run.resource(feed.resource);
    if (resource) await followFeed(run, feed, resource);
  }
}
