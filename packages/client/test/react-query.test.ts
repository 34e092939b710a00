/**
 * The TanStack Query bindings against the real server (and, for lost responses and rate limits,
 * a misbehaving server on loopback): conditional revalidation, Link paging, If-Match from the
 * cache with the 412 as a typed conflict, one Idempotency-Key across retries, Retry-After.
 */
import { createKey, startTestServer, type TestServer } from '@lockstep/server/testing';
import { MutationObserver, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, HttpError, type OutgoingRequest } from '../src/index.js';
import { createQueryBindings, PreconditionFailedError } from '../src/react-query.js';
import { faultServer, json } from './fault-server.js';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await createKey(server)).token;
});
afterAll(async () => {
  await server?.dispose();
});

/** Bindings over a client that records each request and the status it got. */
function setUp(baseUrl = server.url, clientOptions: Partial<Parameters<typeof createClient>[0]> = {}) {
  const sent: OutgoingRequest[] = [];
  const statuses: number[] = [];
  const client = createClient({
    baseUrl,
    token,
    hooks: {
      beforeRequest: (request) => {
        sent.push({ ...request, headers: new Headers(request.headers) });
      },
      afterResponse: (response) => {
        statuses.push(response.status);
      },
    },
    ...clientOptions,
  });
  const queryClient = new QueryClient();
  return { api: createQueryBindings({ client, queryClient }), client, queryClient, sent, statuses };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('reads', () => {
  it('revalidate with If-None-Match: an unchanged resource costs a 304 and keeps its object', async () => {
    const { api, queryClient, sent, statuses } = setUp();
    const options = api.todos.get.queryOptions({ params: { id: 1 } });
    const first = await queryClient.fetchQuery(options);
    expect(first).toEqual({ userId: 1, id: 1, title: 'delectus aut autem', completed: false });
    await queryClient.refetchQueries({ queryKey: options.queryKey });
    expect(statuses).toEqual([200, 304]);
    expect(sent[1]?.headers.get('if-none-match')).toMatch(/^"/);
    expect(queryClient.getQueryData(options.queryKey)).toBe(first);
  });

  it('name a cache entry by route and input, whatever the type of a path parameter', () => {
    const { api } = setUp();
    expect(api.events.get.queryOptions({ params: { eventId: 3 } }).queryKey).toEqual(
      api.events.get.queryOptions({ params: { eventId: '3' } }).queryKey,
    );
    expect(api.events.get.key({ params: { eventId: 3 } })).toEqual([
      'lockstep',
      'events',
      'get',
      { params: { eventId: '3' } },
    ]);
    expect(api.events.key()).toEqual(['lockstep', 'events']);
  });

  it('page a list as an infinite query through its Link cursors, and stop at the last page', async () => {
    const { api, queryClient } = setUp();
    const options = api.todos.listByUser.infiniteQueryOptions({ params: { id: 1 }, query: { limit: 7 } });
    const data = await queryClient.fetchInfiniteQuery({ ...options, pages: 5 });
    expect(data.pages.map((page) => page.length)).toEqual([7, 7, 6]);
    expect(data.pageParams).toEqual([null, expect.any(String), expect.any(String)]);
    const ids = data.pages.flat().map((todo) => todo.id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('fail with the typed error of the status, the problem parsed', async () => {
    const { api, queryClient } = setUp();
    const failure = await queryClient
      .fetchQuery(api.todos.get.queryOptions({ params: { id: 99999 } }))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpError);
    expect((failure as HttpError).problem?.status).toBe(404);
  });
});

describe('writes', () => {
  it('send If-Match from the cached ETag, and surface a 412 with the current version to reload or overwrite', async () => {
    const { api, client, queryClient, sent } = setUp();
    const event = (
      await client.events.create({ body: { name: 'Launch', startsAt: '2026-12-01T18:00:00Z', capacity: 50 } })
    ).unwrap();
    const params = { eventId: event.id };
    await queryClient.fetchQuery(api.events.get.queryOptions({ params }));
    // Another tab changes the event behind this cache's back.
    await client.events.update({ params, body: { name: 'Launch party' } });

    const update = new MutationObserver(queryClient, api.events.update.mutationOptions());
    const conflict = await update.mutate({ params, body: { capacity: 80 } }).catch((error: unknown) => error);
    expect(sent.at(-2)?.headers.get('if-match')).toMatch(/^"/);
    expect(conflict).toBeInstanceOf(PreconditionFailedError);
    expect(conflict).toBeInstanceOf(HttpError);
    const { current, currentEtag, status, problem } = conflict as PreconditionFailedError;
    expect(status).toBe(412);
    expect(problem?.status).toBe(412);
    expect(current).toMatchObject({ name: 'Launch party', capacity: 50 });

    // Overwrite: the same change, matched against the version now current.
    const updated = await update.mutate({ params, body: { capacity: 80 }, ifMatch: currentEtag as string });
    expect(updated).toMatchObject({ name: 'Launch party', capacity: 80 });
    expect(queryClient.getQueryData(api.events.get.key({ params }))).toEqual(updated);
    // The cache's ETag is the new version's: the next write needs no reload.
    await new MutationObserver(queryClient, api.events.update.mutationOptions()).mutate({
      params,
      body: { location: 'Hall 2' },
    });
    expect(queryClient.getQueryData(api.events.get.key({ params }))).toMatchObject({
      capacity: 80,
      location: 'Hall 2',
    });
  });

  it('refresh the lists of the resource after a write, and forget a deleted item', async () => {
    const { api, client, queryClient } = setUp();
    const list = api.events.list.queryOptions({ query: { sort: '-id' } });
    const before = await queryClient.fetchQuery(list);
    // A list on screen: an observed query, which invalidation refetches at once.
    const unsubscribe = new QueryObserver(queryClient, list).subscribe(() => {});
    const create = new MutationObserver(queryClient, api.events.create.mutationOptions());
    const created = await create.mutate({ body: { name: 'Retro', startsAt: '2026-12-02T10:00:00Z' } });
    expect(queryClient.getQueryState(list.queryKey)?.isInvalidated).toBe(false);
    expect(queryClient.getQueryData(list.queryKey)?.[0]).toEqual(created);
    expect(queryClient.getQueryData(list.queryKey)).toHaveLength(before.length + 1);
    unsubscribe();

    const params = { eventId: created.id };
    await queryClient.fetchQuery(api.events.get.queryOptions({ params }));
    await new MutationObserver(queryClient, api.events.remove.mutationOptions()).mutate({ params });
    expect(queryClient.getQueryData(api.events.get.key({ params }))).toBeUndefined();
    expect((await client.events.get({ params })).status).toBe(404);
  });

  it('keep one Idempotency-Key across retries of a create whose answer was lost: one row', async () => {
    let attempts = 0;
    const lossy = await faultServer(async (req, res) => {
      const body = await readBody(req);
      const answer = await fetch(`${server.url}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: body || undefined,
      });
      attempts += 1;
      // The server committed the first attempt; its answer never arrives.
      if (attempts === 1) return res.socket?.destroy();
      answer.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.writeHead(answer.status);
      res.end(await answer.text());
    });
    closers.push(lossy.close);
    const { api, queryClient, sent } = setUp(lossy.url, { retry: false });
    const count = async () => (await (await fetch(`${server.url}/todos?userId=2&limit=1000`)).json()).length as number;
    const before = await count();
    const create = new MutationObserver(queryClient, {
      ...api.todos.create.mutationOptions(),
      retry: 1,
      retryDelay: 0,
    });
    const todo = await create.mutate({ body: { userId: 2, title: 'Pay rent' } });
    expect(todo).toMatchObject({ userId: 2, title: 'Pay rent' });
    expect(sent).toHaveLength(2);
    const keys = sent.map((request) => request.headers.get('idempotency-key'));
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(await count()).toBe(before + 1);
  });

  it('wait as long as a 429’s Retry-After says before trying again', async () => {
    const limited = await faultServer((_req, res, arrivals) =>
      arrivals.length === 1
        ? json(res, 429, { type: 'about:blank', title: 'Too Many Requests', status: 429 }, { 'retry-after': '1' })
        : json(res, 200, { userId: 1, id: 1, title: 'delectus aut autem', completed: false }),
    );
    closers.push(limited.close);
    const { api, queryClient } = setUp(limited.url);
    await queryClient.fetchQuery(api.todos.get.queryOptions({ params: { id: 1 } }));
    expect(limited.arrivals).toHaveLength(2);
    expect((limited.arrivals[1]?.at ?? 0) - (limited.arrivals[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });
});

async function readBody(req: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('follow', () => {
  it("applies another tab's changes to the cache as they arrive: the item with its ETag, the list in place", async () => {
    const { api, queryClient } = setUp();
    const other = createClient({ baseUrl: server.url, token, retry: { retries: 0 } });
    const event = (
      await other.events.create({ body: { name: 'Followed', startsAt: '2027-07-01T18:00:00Z' } })
    ).unwrap();
    const itemOptions = api.events.get.queryOptions({ params: { eventId: event.id } });
    const listOptions = api.events.list.queryOptions({ query: { limit: 1000 } });
    await queryClient.fetchQuery(itemOptions);
    await queryClient.fetchQuery(listOptions);
    const seen: string[] = [];
    const stop = api.events.follow({ onChange: (change) => seen.push(change.kind) });
    await new Promise((resolve) => setTimeout(resolve, 200));

    await other.events.update({ params: { eventId: event.id }, body: { location: 'Elsewhere' } });
    await expect.poll(() => queryClient.getQueryData(itemOptions.queryKey)).toMatchObject({ location: 'Elsewhere' });
    expect(queryClient.getQueryData(listOptions.queryKey)?.find((row) => row.id === event.id)).toMatchObject({
      location: 'Elsewhere',
    });
    // The cached ETag is the changed item's: this tab's write is not refused as stale.
    const rename = new MutationObserver(queryClient, api.events.update.mutationOptions());
    await expect(
      rename.mutate({ params: { eventId: event.id }, body: { name: 'Renamed here' } }),
    ).resolves.toMatchObject({ name: 'Renamed here' });

    await other.events.remove({ params: { eventId: event.id } });
    await expect.poll(() => queryClient.getQueryData(itemOptions.queryKey)).toBeUndefined();
    stop();
    expect(seen).toEqual(['updated', 'updated', 'deleted']);
  });
});
