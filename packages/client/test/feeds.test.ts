/**
 * `client.<resource>.changes()`: a typed AsyncIterable over the real server's feeds. It resumes
 * after `lastEventId`, and when the server goes away (here: shut down, then started again on the
 * same port and database) it reconnects after `retry:` with the last id it delivered, so the
 * changes made while it was away arrive once, in order.
 */
import { rm } from 'node:fs/promises';
import { createKey, makeTempDir, startTestServer, type TestServer } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createClient,
  createTrpcClient,
  type Event,
  type FeedMessage,
  HttpError,
  type LockstepClient,
  type Todo,
  TRPCClientError,
  type TrpcChange,
} from '../src/index.js';
import { waitError } from './wait-error.js';

let server: TestServer;
let api: LockstepClient;

beforeAll(async () => {
  server = await startTestServer();
  api = createClient({ baseUrl: server.url, retry: { retries: 0 } });
});
afterAll(() => server.dispose());

/** The first `count` messages of a feed, then stops following. */
async function take<T>(feed: AsyncIterable<T>, count: number, abort: AbortController): Promise<T[]> {
  const taken: T[] = [];
  for await (const message of feed) {
    taken.push(message);
    if (taken.length === count) break;
  }
  abort.abort();
  return taken;
}

describe('client feeds', () => {
  it('yield typed changes, and resume after lastEventId', async () => {
    const abort = new AbortController();
    const feed = api.todos.changes({ query: { userId: 3 }, signal: abort.signal });
    expectTypeOf(feed).toEqualTypeOf<AsyncIterable<FeedMessage<Todo>>>();
    const received = take(feed, 2, abort);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const todo = (await api.todos.create({ body: { userId: 3, title: 'typed' } })).unwrap();
    await api.todos.update({ params: { id: todo.id }, body: { completed: true } });
    const [created, updated] = await received;
    expect(created).toMatchObject({ kind: 'created', id: todo.id, item: todo });
    expect(updated).toMatchObject({ kind: 'updated', item: { ...todo, completed: true } });

    const again = new AbortController();
    const [resumed] = await take(
      api.todos.changes({ query: { userId: 3 }, lastEventId: created?.cursor, signal: again.signal }),
      1,
      again,
    );
    expect(resumed).toEqual(updated);
  });

  it("reconnect with the last id after the server goes away, missing nothing: an owner's guests", async () => {
    const dir = await makeTempDir();
    let first: TestServer | undefined = await startTestServer(dir);
    const port = first.port;
    const { token } = await createKey(first);
    const owner = createClient({ baseUrl: first.url, token, retry: { retries: 0 } });
    const event = (await owner.events.create({ body: { name: 'Reunion', startsAt: '2027-05-01T18:00:00Z' } })).unwrap();
    const abort = new AbortController();
    const received = take(owner.guests.changes({ params: { eventId: event.id }, signal: abort.signal }), 3, abort);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await owner.guests.create({ params: { eventId: event.id }, body: { name: 'Ann', email: 'ann@example.com' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.close();
    first = undefined;
    const second = await startTestServer(dir, { PORT: String(port) });
    try {
      // Written while the client is between connections: it must still arrive, once.
      await owner.guests.create({ params: { eventId: event.id }, body: { name: 'Bo', email: 'bo@example.com' } });
      await owner.guests.create({ params: { eventId: event.id }, body: { name: 'Cy', email: 'cy@example.com' } });
      const guests = await received;
      expect(guests.map((message) => (message.kind === 'reset' ? undefined : message.item?.name))).toEqual([
        'Ann',
        'Bo',
        'Cy',
      ]);
    } finally {
      await second.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('throw HttpError with the problem for an answer other than a stream', async () => {
    const error = await waitError(
      (async () => {
        for await (const _ of api.events.changes()) break;
      })(),
      HttpError,
    );
    expect(error.status).toBe(401);
    expect(error.problem?.status).toBe(401);
  });

  it('over tRPC: the same feeds as subscriptions (SSE), typed, with the cursor as the event id', async () => {
    const { token } = await createKey(server);
    const trpc = createTrpcClient({ baseUrl: server.url, token });
    const owner = createClient({ baseUrl: server.url, token, retry: { retries: 0 } });
    const received: Array<{ id: string; data: TrpcChange<{ name: string }> }> = [];
    const arrived = new Promise<void>((resolve, reject) => {
      const subscription = trpc.events.changes.subscribe(
        {},
        {
          onStarted: () => {
            void owner.events.create({ body: { name: 'Over tRPC', startsAt: '2027-06-01T18:00:00Z' } });
          },
          onData: (event) => {
            expectTypeOf(event.data).toEqualTypeOf<TrpcChange<Event>>();
            received.push(event);
            subscription.unsubscribe();
            resolve();
          },
          onError: reject,
        },
      );
    });
    await arrived;
    expect(received[0]?.data).toMatchObject({ kind: 'created', item: { name: 'Over tRPC' } });
    expect(received[0]?.id).toMatch(/^[0-9a-z]+-[0-9a-z]+$/);

    const refused = await new Promise<unknown>((resolve) => {
      const subscription = trpc.guests.changes.subscribe(
        { params: { eventId: 999_999 } },
        {
          onError: (error) => {
            subscription.unsubscribe();
            resolve(error);
          },
        },
      );
    });
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ httpStatus: 404 });
  });
});
