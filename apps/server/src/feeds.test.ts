/**
 * Change feeds over HTTP on the real server (SQLite, and PostgreSQL in the PostgreSQL run): every
 * committed change arrives once, in commit order, typed as the contract says; a resume misses
 * nothing and repeats nothing; owners see only their rows; limits and shutdown hold.
 */
import { feeds } from '@lockstep/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFeed, type ReceivedEvent } from './testing/feed-reader.js';
import { client, createKey, request, startTestServer, type TestServer } from './testing.js';

let server: TestServer;
let anonymous: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startTestServer(undefined, { SSE_HEARTBEAT_MS: '100' });
  anonymous = client(server);
}, 60_000);
afterAll(() => server.dispose());

const feedUrl = (path: string) => `${server.url}${path}`;
const itemsOf = (events: ReceivedEvent[]) => events.map(({ event, data }) => [event, data.id]);

describe('a feed', () => {
  it('sends each change as the contract types it: created, updated, deleted, with the ETag GET answers', async () => {
    const feed = await openFeed(feedUrl('/todos/changes'));
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const created = await anonymous('POST', '/todos', { json: { userId: 1, title: 'followed' } });
    const id = (created.body as { id: number }).id;
    const read = await anonymous('GET', `/todos/${id}`);
    await anonymous('PATCH', `/todos/${id}`, { json: { completed: true } });
    const patched = await anonymous('GET', `/todos/${id}`);
    await anonymous('DELETE', `/todos/${id}`);
    const events = await feed.waitForEvents(3);
    feed.close();

    expect(itemsOf(events)).toEqual([
      ['created', id],
      ['updated', id],
      ['deleted', id],
    ]);
    expect(events[0]?.data).toEqual({ id, item: created.body, etag: read.headers.get('etag') });
    expect(events[1]?.data).toEqual({ id, item: patched.body, etag: patched.headers.get('etag') });
    expect(events[2]?.data).toEqual({ id, item: null, etag: null });
    for (const event of events) expect(feeds.todos.change.parse(event.data)).toEqual(event.data);
    expect(feed.retries.length).toBe(1);
  });

  it('narrows to one user with ?userId=, and records nothing for a write that failed', async () => {
    const feed = await openFeed(feedUrl('/todos/changes?userId=2'));
    expect((await anonymous('POST', '/todos', { json: { userId: 1, title: 'not followed' } })).status).toBe(201);
    expect((await anonymous('POST', '/todos', { json: { userId: 99_999, title: 'no such user' } })).status).toBe(422);
    const followed = await anonymous('POST', '/todos', { json: { userId: 2, title: 'followed' } });
    const [event] = await feed.waitForEvents(1);
    feed.close();
    expect(event?.data).toMatchObject({ item: followed.body });
  });

  it('resumes after Last-Event-ID (or ?lastEventId=) with no gap and no duplicate, then follows live', async () => {
    const first = await openFeed(feedUrl('/users/changes'));
    const user = { name: 'Resumer', username: 'resumer', email: 'resumer@example.com' };
    const a = (await anonymous('POST', '/users', { json: user })).body as { id: number };
    const [seen] = await first.waitForEvents(1);
    first.close();
    const b = (await anonymous('POST', '/users', { json: user })).body as { id: number };
    await anonymous('PATCH', `/users/${a.id}`, { json: { name: 'Renamed' } });

    const byHeader = await openFeed(feedUrl('/users/changes'), { 'last-event-id': seen?.id ?? '' });
    const byQuery = await openFeed(feedUrl(`/users/changes?lastEventId=${seen?.id}`));
    const c = (await anonymous('POST', '/users', { json: user })).body as { id: number };
    for (const resumed of [byHeader, byQuery]) {
      const events = await resumed.waitForEvents(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      resumed.close();
      expect(itemsOf(resumed.events)).toEqual([
        ['created', b.id],
        ['updated', a.id],
        ['created', c.id],
      ]);
      expect(new Set(events.map((event) => event.id)).size).toBe(3);
    }
  });

  it('answers a resume from before the retained changes with event: reset', async () => {
    const short = await startTestServer(undefined, { CHANGE_RETENTION: '1s' });
    try {
      const feed = await openFeed(`${short.url}/todos/changes`);
      await request(short.url, 'POST', '/todos', { json: { userId: 1, title: 'soon forgotten' } });
      const [old] = await feed.waitForEvents(1);
      feed.close();
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const resumed = await openFeed(`${short.url}/todos/changes`, { 'last-event-id': old?.id ?? '' });
      const later = await request(short.url, 'POST', '/todos', { json: { userId: 1, title: 'after the reset' } });
      const [reset, next] = await resumed.waitForEvents(2);
      resumed.close();
      expect(reset?.event).toBe('reset');
      expect(next).toMatchObject({ event: 'created', data: { item: later.body } });
    } finally {
      await short.dispose();
    }
  });

  it('refuses a Last-Event-ID it did not hand out, and unknown filters, with 400 problem+json', async () => {
    const badCursor = await openFeed(feedUrl('/todos/changes'), { 'last-event-id': 'not a cursor' });
    expect(badCursor.status).toBe(400);
    expect(badCursor.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(badCursor.problem).toMatchObject({ status: 400, errors: [{ path: '/lastEventId' }] });
    expect((await anonymous('GET', '/todos/changes?completed=true')).status).toBe(400);
    expect((await anonymous('POST', '/todos/changes')).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('sends a heartbeat comment at least every SSE_HEARTBEAT_MS', async () => {
    const feed = await openFeed(feedUrl('/todos/changes'));
    await new Promise((resolve) => setTimeout(resolve, 450));
    feed.close();
    expect(feed.comments).toBeGreaterThanOrEqual(3);
  });
});

describe("an owner's feed", () => {
  it('needs a key (401, as the list) and shows only the caller’s rows; guests do not change their event', async () => {
    expect((await openFeed(feedUrl('/events/changes'))).status).toBe(401);
    const alice = await createKey(server);
    const bob = await createKey(server);
    const asAlice = client(server, alice.token);
    const asBob = client(server, bob.token);
    const event = (await asAlice('POST', '/events', { json: { name: 'Party', startsAt: '2027-01-01T18:00:00Z' } }))
      .body as { id: number };
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const aliceEvents = await openFeed(feedUrl('/events/changes'), auth(alice.token));
    const aliceGuests = await openFeed(feedUrl(`/events/${event.id}/guests/changes`), auth(alice.token));
    expect((await openFeed(feedUrl(`/events/${event.id}/guests/changes`), auth(bob.token))).status).toBe(404);

    await asBob('POST', '/events', { json: { name: "Bob's", startsAt: '2027-01-01T18:00:00Z' } });
    const guest = await asAlice('POST', `/events/${event.id}/guests`, { json: { name: 'G', email: 'g@example.com' } });
    await asAlice('PATCH', `/events/${event.id}`, { json: { location: 'Home' } });
    const [guestEvent] = await aliceGuests.waitForEvents(1);
    const [eventEvent] = await aliceEvents.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(guestEvent?.data).toMatchObject({ item: guest.body });
    // Bob's event never shows; the guest is no change of Alice's event: one update, hers.
    expect(itemsOf(aliceEvents.events)).toEqual([['updated', event.id]]);
    expect(eventEvent?.data).toMatchObject({ item: { location: 'Home' } });

    // Deleting the event deletes its guest: both deletions are sent.
    await asAlice('DELETE', `/events/${event.id}`);
    const events = await aliceGuests.waitForEvents(2);
    expect(events[1]).toMatchObject({ event: 'deleted', data: { id: (guest.body as { id: number }).id } });
    await aliceEvents.waitForEvents(2);
    aliceEvents.close();
    aliceGuests.close();
  });

  it("sends the deletion of a user's todos with the user's", async () => {
    const user = (await anonymous('POST', '/users', { json: { name: 'Leaving' } })).body as { id: number };
    const todos = [];
    for (const title of ['one', 'two']) {
      todos.push(((await anonymous('POST', '/todos', { json: { userId: user.id, title } })).body as { id: number }).id);
    }
    const feed = await openFeed(feedUrl(`/todos/changes?userId=${user.id}`));
    await anonymous('DELETE', `/users/${user.id}`);
    const events = await feed.waitForEvents(2);
    feed.close();
    expect(itemsOf(events)).toEqual(todos.map((id) => ['deleted', id]));
  });
});

describe('limits', () => {
  it('refuses streams beyond the per-address cap with 429 and the RateLimit fields', async () => {
    const capped = await startTestServer(undefined, { SSE_MAX_STREAMS_PER_ADDRESS: '2' });
    try {
      const open = [await openFeed(`${capped.url}/todos/changes`), await openFeed(`${capped.url}/users/changes`)];
      const refused = await openFeed(`${capped.url}/todos/changes`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toBe('"streams-per-address";q=2');
      expect(refused.headers.get('retry-after')).toBe('5');
      open[0]?.close();
      await open[0]?.ended;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await openFeed(`${capped.url}/todos/changes`);
      expect(again.status).toBe(200);
      for (const feed of [again, ...open]) feed.close();
    } finally {
      await capped.dispose();
    }
  });

  it('counts streams as connections: beyond MAX_CONNECTIONS a new one is refused', async () => {
    const small = await startTestServer(undefined, { MAX_CONNECTIONS: '2' });
    try {
      const open = [await openFeed(`${small.url}/todos/changes`), await openFeed(`${small.url}/users/changes`)];
      expect(open.map((feed) => feed.status)).toEqual([200, 200]);
      await expect(openFeed(`${small.url}/todos/changes`)).rejects.toThrow();
      for (const feed of open) feed.close();
    } finally {
      await small.dispose();
    }
  });

  it('ends every stream with retry: at shutdown', async () => {
    const closing = await startTestServer();
    const feed = await openFeed(`${closing.url}/todos/changes`);
    await closing.dispose();
    await feed.ended;
    expect(feed.retries).toEqual([1_000, 1_000]);
  });
});
