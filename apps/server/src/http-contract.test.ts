/**
 * The HTTP behaviour every route promises (DESIGN.md, "HTTP behaviour"): paging, caching and
 * preconditions, idempotency, limits and headers. Over real HTTP against a throwaway database.
 */

import { CONTRACT_VERSION, contract } from '@lockstep/contract';
import { openDatabase } from '@lockstep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathTable } from './http/middleware/fallback.js';
import {
  client,
  createKey,
  expectConcurrentPatchesMerge,
  rawRequest,
  startTestServer,
  type TestServer,
} from './testing.js';

let server: TestServer;
let owner: { token: string; ownerId: string };
let api: ReturnType<typeof client>;
beforeAll(async () => {
  server = await startTestServer();
  owner = await createKey(server);
  api = client(server, owner.token);
});
afterAll(async () => {
  await server.dispose();
});

const nextLink = (headers: Headers): string | undefined =>
  /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];

/** Follows Link headers from `first` and returns every item of every page. */
async function collect<T>(call: ReturnType<typeof client>, first: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let path: string | undefined = first;
  let pages = 0;
  while (path) {
    const res = await call('GET', path);
    expect(res.status, path).toBe(200);
    items.push(...(res.body as T[]));
    pages += 1;
    path = nextLink(res.headers);
  }
  return { items, pages };
}

describe('keyset pagination', () => {
  const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'CHF'];
  beforeAll(async () => {
    // 2,500 rows written straight to the database: the subject here is reading them back.
    const db = await openDatabase(server.databaseUrl);
    try {
      const now = new Date();
      await db.write
        .insertInto('transactions')
        .values(
          Array.from({ length: 2500 }, (_, i) => ({
            ownerId: owner.ownerId,
            amount: BigInt(((i * 7919) % 1000) - 500), // many equal amounts: ties broken by id
            currency: currencies[i % currencies.length] as string,
            description: `row ${i}`,
            occurredAt: new Date(Date.UTC(2026, 0, 1) + ((i * 104729) % 2500) * 60_000),
            createdAt: now,
            updatedAt: now,
          })),
        )
        .execute();
    } finally {
      await db.close();
    }
  });

  it('pages through 2,500 rows returning each exactly once, in id order', async () => {
    const { items, pages } = await collect<{ id: number }>(api, '/transactions?limit=300');
    expect(pages).toBe(9);
    expect(items).toHaveLength(2500);
    expect(new Set(items.map((t) => t.id)).size).toBe(2500);
    const ids = items.map((t) => t.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it.each([
    ['-amount', (a: Tx, b: Tx) => b.amount - a.amount || b.id - a.id],
    ['amount', (a: Tx, b: Tx) => a.amount - b.amount || a.id - b.id],
    ['occurredAt', (a: Tx, b: Tx) => a.occurredAt.localeCompare(b.occurredAt) || a.id - b.id],
    ['-id', (a: Tx, b: Tx) => b.id - a.id],
  ])('pages sorted by %s with ties on id, each row once', async (sort, order) => {
    const { items } = await collect<Tx>(api, `/transactions?limit=1000&sort=${sort}`);
    expect(items).toHaveLength(2500);
    expect(new Set(items.map((t) => t.id)).size).toBe(2500);
    expect(items).toEqual([...items].sort(order));
  });

  it('pages a filtered list and keeps the filter in the next link', async () => {
    const { items, pages } = await collect<Tx>(api, '/transactions?currency=JPY&limit=200&sort=-occurredAt');
    expect(pages).toBe(3);
    expect(items).toHaveLength(500);
    expect(items.every((t) => t.currency === 'JPY')).toBe(true);
  });

  it('defaults to 100 rows, caps at 1000, and refuses foreign or forged cursors', async () => {
    const first = await api('GET', '/transactions');
    expect((first.body as unknown[]).length).toBe(100);
    expect(nextLink(first.headers)).toMatch(/^\/transactions\?cursor=/);
    expect((await api('GET', '/transactions?limit=1001')).status).toBe(400);
    const cursor = new URL(nextLink(first.headers) ?? '', 'http://x').searchParams.get('cursor');
    const otherSort = await api('GET', `/transactions?sort=amount&cursor=${cursor}`);
    expect(otherSort.status).toBe(400);
    expect(otherSort.body).toMatchObject({ errors: [{ path: '/cursor', code: 'invalid_cursor' }] });
    expect((await api('GET', '/transactions?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('pages the public todos the same way', async () => {
    const { items } = await collect<{ id: number }>(client(server), '/todos?limit=64&sort=-title');
    expect(items.length).toBe(200);
    expect(new Set(items.map((t) => t.id)).size).toBe(200);
  });
});

interface Tx {
  id: number;
  amount: number;
  currency: string;
  occurredAt: string;
}

describe('caching and conditional requests', () => {
  it('sends a strong ETag on items and lists, and 304 on If-None-Match with the same headers', async () => {
    for (const [call, path, cacheControl] of [
      [client(server), '/todos/2', 'no-cache'],
      [client(server), '/todos?userId=1', 'no-cache'],
      [api, '/transactions?limit=5', 'private, no-cache'],
    ] as const) {
      const first = await call('GET', path);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get('cache-control')).toBe(cacheControl);
      const again = await call('GET', path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe(cacheControl);
      if (cacheControl.startsWith('private')) expect(again.headers.get('vary')).toContain('Authorization');
    }
  });

  it('honours If-Match on PUT, PATCH and DELETE: 412 and no change on mismatch, 404 for unknown ids', async () => {
    const created = await api('POST', '/events', { json: { name: 'Gig', startsAt: '2026-12-24T20:00:00Z' } });
    const path = `/events/${(created.body as { id: number }).id}`;
    const etag = (await api('GET', path)).headers.get('etag') ?? '';
    const stale = '"0-stale"';
    for (const [method, json] of [
      ['PUT', { name: 'Changed', startsAt: '2026-12-24T20:00:00Z' }],
      ['PATCH', { name: 'Changed' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(method, path, { json, headers: { 'if-match': stale } });
      expect(res.status, method).toBe(412);
    }
    expect((await api('GET', path)).body).toMatchObject({ name: 'Gig' });
    expect((await api('PATCH', '/events/987654', { json: { name: 'x' }, headers: { 'if-match': etag } })).status).toBe(
      404,
    );
    const patched = await api('PATCH', path, { json: { name: 'Changed' }, headers: { 'if-match': etag } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).not.toBe(etag);
    // The old tag no longer matches; the new one deletes; `*` matches any existing resource.
    expect((await api('DELETE', path, { headers: { 'if-match': etag } })).status).toBe(412);
    expect((await api('DELETE', path, { headers: { 'if-match': patched.headers.get('etag') ?? '' } })).status).toBe(
      200,
    );
    expect((await api('DELETE', path, { headers: { 'if-match': '*' } })).status).toBe(404);
  });

  it('lets exactly one of several concurrent updates with the same If-Match succeed', async () => {
    const etag = (await client(server)('GET', '/todos/3')).headers.get('etag') ?? '';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client(server)('PATCH', '/todos/3', { json: { title: `writer ${i}` }, headers: { 'if-match': etag } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(9);
    const winner = results.find((r) => r.status === 200)?.body;
    expect((await client(server)('GET', '/todos/3')).body).toEqual(winner);
  });

  it('loses no concurrent PATCH without If-Match: each merges into the version the others left', () =>
    expectConcurrentPatchesMerge(() => client(server), 8));
});

describe('Idempotency-Key', () => {
  const body = { amount: 999, currency: 'USD', description: 'idempotent', occurredAt: '2026-11-25T09:00:00Z' };
  const count = async (call: ReturnType<typeof client>) =>
    ((await call('GET', '/transactions?currency=USD&limit=1000')).body as Array<{ description: string }>).filter(
      (t) => t.description === 'idempotent',
    ).length;

  it('replays the first response for the same key and body, and refuses another body', async () => {
    const caller = client(server, (await createKey(server)).token);
    const headers = { 'idempotency-key': '"order-1"' };
    const first = await caller('POST', '/transactions', { json: body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await caller('POST', '/transactions', { json: body, headers: { 'idempotency-key': 'order-1' } });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await count(caller)).toBe(1);
    const other = await caller('POST', '/transactions', { json: { ...body, amount: 1 }, headers });
    expect(other.status).toBe(422);
  });

  it('replays errors too', async () => {
    const caller = client(server, (await createKey(server)).token);
    const headers = { 'idempotency-key': 'bad-1' };
    const first = await caller('POST', '/transactions', { json: { ...body, currency: 'XYZ' }, headers });
    expect(first.status).toBe(422);
    const second = await caller('POST', '/transactions', { json: { ...body, currency: 'XYZ' }, headers });
    expect(second.status).toBe(422);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('creates exactly one row when N requests with one key run in parallel', async () => {
    const caller = client(server, (await createKey(server)).token);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        caller('POST', '/transactions', { json: body, headers: { 'idempotency-key': 'par' } }),
      ),
    );
    expect(await count(caller)).toBe(1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => (r.body as { id: number }).id)).size).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
  });

  it('scopes keys to the caller: another owner reusing a key gets its own row', async () => {
    const a = client(server, (await createKey(server)).token);
    const b = client(server, (await createKey(server)).token);
    const headers = { 'idempotency-key': 'shared-key' };
    const fromA = await a('POST', '/transactions', { json: body, headers });
    const fromB = await b('POST', '/transactions', { json: body, headers });
    expect(fromB.headers.get('idempotent-replayed')).toBeNull();
    expect((fromB.body as { id: number }).id).not.toBe((fromA.body as { id: number }).id);
  });

  it('tells anonymous callers apart: one cannot replay or block another’s key', async () => {
    const postFrom = async (localAddress: string) => {
      const answer = await rawRequest({
        port: server.port,
        method: 'POST',
        path: '/todos',
        localAddress,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'anonymous-key' },
        body: JSON.stringify({ userId: 1, title: 'anonymous' }),
      });
      return {
        status: answer.status,
        replayed: answer.headers['idempotent-replayed'],
        id: (JSON.parse(answer.body) as { id: number }).id,
      };
    };
    const first = await postFrom('127.0.0.2');
    const other = await postFrom('127.0.0.3');
    const again = await postFrom('127.0.0.2');
    expect([first.status, other.status, again.status]).toEqual([201, 201, 201]);
    expect(other.replayed).toBeUndefined();
    expect(other.id).not.toBe(first.id);
    expect(again).toEqual({ status: 201, replayed: 'true', id: first.id });
  });

  it('rejects an empty or oversized key with 400', async () => {
    for (const key of ['""', 'k'.repeat(256)]) {
      expect((await api('POST', '/transactions', { json: body, headers: { 'idempotency-key': key } })).status).toBe(
        400,
      );
    }
  });

  it('keeps keys in the database with a 24 h expiry', async () => {
    await api('POST', '/transactions', { json: body, headers: { 'idempotency-key': 'stored' } });
    const db = await openDatabase(server.databaseUrl);
    try {
      const row = await db.read
        .selectFrom('idempotency_keys')
        .select(['state', 'createdAt', 'expiresAt'])
        .where('scope', '=', owner.ownerId)
        .where('key', '=', 'stored')
        .executeTakeFirst();
      expect(row?.state).toBe('done');
      const hours = ((row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0)) / 3_600_000;
      expect(hours).toBe(24);
    } finally {
      await db.close();
    }
  });
});

describe('limits and headers on every route', () => {
  it('answers 405 with Allow for a wrong method on every known path', async () => {
    const samples: Record<string, string> = { ':id': '1', ':eventId': '1', ':guestId': '1' };
    for (const route of Object.values(contract).flatMap((router) => Object.values(router))) {
      const path = route.path.replace(/:[A-Za-z]+/g, (param: string) => samples[param] ?? '1');
      const allow = pathTable(contract).find((entry) => entry.pattern.test(path))?.allow ?? '';
      const wrong = ['POST', 'PUT', 'PATCH', 'DELETE'].find((method) => !allow.includes(method));
      if (!wrong) continue;
      const res = await api(wrong, path, { json: {} });
      expect(res.status, `${wrong} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
    }
  });

  it('rejects bodies nested too deeply and bodies with prototype keys (400)', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i += 1) deep = { a: deep };
    expect((await api('POST', '/events', { json: deep })).status).toBe(400);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await api('POST', '/users', {
        body: `{"name":"x","address":{"${key}":{"isAdmin":true}}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, key).toBe(400);
    }
  });

  it('answers 413 above 1 MiB on owned routes too', async () => {
    const res = await api('POST', '/events', {
      json: { name: 'x'.repeat(1_100_000), startsAt: '2026-12-01T00:00:00Z' },
    });
    expect(res.status).toBe(413);
  });

  it('puts X-Request-Id and X-Contract-Version on successes and errors alike', async () => {
    for (const res of [
      await api('GET', '/transactions?limit=1'),
      await client(server)('GET', '/transactions'),
      await api('DELETE', '/events'),
    ]) {
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(res.headers.get('x-contract-version')).toBe(CONTRACT_VERSION);
    }
  });
});
