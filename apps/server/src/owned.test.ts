/**
 * Owned resources over real HTTP: API keys and scopes, isolation between owners, business
 * rules of events and guests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createKey, startTestServer, type TestServer } from './testing.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const transaction = { amount: 1250, currency: 'EUR', description: 'coffee', occurredAt: '2026-11-25T10:00:00Z' };
const event = { name: 'Launch party', startsAt: '2026-12-01T18:00:00Z', location: 'Lisbon' };

describe('authentication and scopes', () => {
  it('answers 401 with a Bearer challenge when no key is sent', async () => {
    const res = await client(server)('GET', '/transactions');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('answers 401 invalid_token for a malformed, unknown or revoked key', async () => {
    const { token } = await createKey(server);
    const forged = `${token.slice(0, -4)}AAAA`;
    for (const bad of ['nonsense', forged, `lsk_0000000000000000_${'A'.repeat(43)}`]) {
      const res = await client(server, bad)('GET', '/transactions');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    // Basic or any other scheme is not a Bearer key.
    const basic = await client(server)('GET', '/transactions', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });

  it('answers 403 insufficient_scope when a read-only key writes, and lets it read', async () => {
    const { token } = await createKey(server, ['read']);
    const api = client(server, token);
    const write = await api('POST', '/transactions', { json: transaction });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect((await api('GET', '/transactions')).status).toBe(200);
  });

  it('answers 403 when a write-only key reads', async () => {
    const { token } = await createKey(server, ['write']);
    expect((await client(server, token)('GET', '/events')).status).toBe(403);
  });

  it('keeps todos and users open to anonymous reads and writes in development', async () => {
    const anonymous = client(server);
    expect((await anonymous('GET', '/todos/1')).status).toBe(200);
    expect((await anonymous('POST', '/todos', { json: { userId: 1, title: 'anon' } })).status).toBe(201);
  });
});

describe('two owners', () => {
  /** One owner's rows; the other must find none of them, by id, in lists or through writes. */
  async function isolationScenario(me: ReturnType<typeof client>, other: ReturnType<typeof client>, tag: string) {
    const tx = (await me('POST', '/transactions', { json: { ...transaction, description: tag } })).body as {
      id: number;
    };
    const ev = (await me('POST', '/events', { json: { ...event, name: tag } })).body as { id: number };
    const guest = (await me('POST', `/events/${ev.id}/guests`, { json: { name: tag, email: `${tag}@example.com` } }))
      .body as { id: number };
    const owned: Array<[string, object]> = [
      [`/transactions/${tx.id}`, { description: 'taken over' }],
      [`/events/${ev.id}`, { name: 'taken over' }],
      [`/events/${ev.id}/guests/${guest.id}`, { name: 'taken over' }],
    ];
    // Each read by the owner first, with no write between it and the other's: the owner's answer
    // is then fresh (a server may keep it), and still never the other's.
    for (const [path, patch] of owned) {
      expect((await me('GET', path)).status, `owner's GET ${path}`).toBe(200);
      expect((await other('GET', path)).status, `GET ${path}`).toBe(404);
      expect((await other('PATCH', path, { json: patch })).status, `PATCH ${path}`).toBe(404);
      expect((await other('DELETE', path)).status, `DELETE ${path}`).toBe(404);
    }
    expect((await other('PUT', `/transactions/${tx.id}`, { json: transaction })).status).toBe(404);
    expect((await other('PUT', `/events/${ev.id}`, { json: event })).status).toBe(404);
    expect((await other('GET', `/events/${ev.id}/guests`)).status).toBe(404);
    const intruder = { name: 'intruder', email: 'intruder@example.com' };
    expect((await other('POST', `/events/${ev.id}/guests`, { json: intruder })).status).toBe(404);
    await me('GET', '/transactions');
    await me('GET', '/events');
    const theirTransactions = (await other('GET', '/transactions')).body as Array<{ description: string }>;
    const theirEvents = (await other('GET', '/events')).body as Array<{ name: string }>;
    expect(theirTransactions.map((t) => t.description)).not.toContain(tag);
    expect(theirEvents.map((e) => e.name)).not.toContain(tag);

    // The owner's rows are untouched and listed for the owner alone.
    for (const [path, patch] of owned) {
      const mine = await me('GET', path);
      expect(mine.status).toBe(200);
      expect(mine.body).not.toMatchObject(patch);
    }
    expect((await me('GET', '/transactions')).body).toEqual([expect.objectContaining({ id: tx.id, description: tag })]);
    expect((await me('GET', `/events/${ev.id}/guests`)).body).toEqual([expect.objectContaining({ name: tag })]);
  }

  it('cannot read, change or delete each other’s rows, by id or in lists (both ways)', async () => {
    const alice = client(server, (await createKey(server)).token);
    const bob = client(server, (await createKey(server)).token);
    await isolationScenario(alice, bob, 'alice');
    await isolationScenario(bob, alice, 'bob');
  });

  it('shares rows between two keys of the same owner', async () => {
    const first = await createKey(server);
    const second = await createKey(server, ['read'], first.ownerId);
    const created = (await client(server, first.token)('POST', '/transactions', { json: transaction })).body as {
      id: number;
    };
    expect((await client(server, second.token)('GET', `/transactions/${created.id}`)).status).toBe(200);
  });

  it('rejects an attempt to set the owner or server-managed fields (422)', async () => {
    const api = client(server, (await createKey(server)).token);
    const res = await api('POST', '/transactions', {
      json: { ...transaction, ownerId: 'someone-else', createdAt: 'x' },
    });
    expect(res.status).toBe(422);
    expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()).toEqual([
      '/createdAt',
      '/ownerId',
    ]);
  });
});

describe('transactions', () => {
  it('validates money as integer minor units and currency as ISO 4217', async () => {
    const api = client(server, (await createKey(server)).token);
    for (const [body, field] of [
      [{ ...transaction, amount: 12.5 }, '/amount'],
      [{ ...transaction, currency: 'eur' }, '/currency'],
      [{ ...transaction, currency: 'XYZ' }, '/currency'],
      [{ ...transaction, occurredAt: 'yesterday' }, '/occurredAt'],
    ] as const) {
      const res = await api('POST', '/transactions', { json: body });
      expect(res.status).toBe(422);
      expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([field]);
    }
  });

  it('supports the full CRUD cycle with timestamps set by the server', async () => {
    const api = client(server, (await createKey(server)).token);
    const created = await api('POST', '/transactions', { json: transaction });
    expect(created.status).toBe(201);
    const { id, createdAt } = created.body as { id: number; createdAt: string };
    expect(created.headers.get('location')).toBe(`/transactions/${id}`);
    const replaced = await api('PUT', `/transactions/${id}`, { json: { ...transaction, amount: -300 } });
    expect(replaced.body).toMatchObject({ id, amount: -300, createdAt });
    const patched = await api('PATCH', `/transactions/${id}`, { json: { description: 'refund' } });
    expect(patched.body).toMatchObject({ amount: -300, description: 'refund' });
    expect((await api('DELETE', `/transactions/${id}`)).body).toEqual({});
    expect((await api('GET', `/transactions/${id}`)).status).toBe(404);
  });
});

describe('events and guests', () => {
  it('enforces unique guest emails per event and the event capacity with 409', async () => {
    const api = client(server, (await createKey(server)).token);
    const ev = (await api('POST', '/events', { json: { ...event, capacity: 2 } })).body as { id: number };
    const guests = `/events/${ev.id}/guests`;
    expect((await api('POST', guests, { json: { name: 'A', email: 'a@example.com' } })).status).toBe(201);
    const duplicate = await api('POST', guests, { json: { name: 'A again', email: 'a@example.com' } });
    expect(duplicate.status).toBe(409);
    expect((await api('POST', guests, { json: { name: 'B', email: 'b@example.com', rsvp: 'yes' } })).status).toBe(201);
    const full = await api('POST', guests, { json: { name: 'C', email: 'c@example.com' } });
    expect(full.status).toBe(409);
    expect((full.body as { detail: string }).detail).toMatch(/full/);
    // Capacity cannot drop below the guests already in.
    expect((await api('PATCH', `/events/${ev.id}`, { json: { capacity: 1 } })).status).toBe(409);
    expect((await api('PATCH', `/events/${ev.id}`, { json: { capacity: null } })).status).toBe(200);
    expect((await api('POST', guests, { json: { name: 'C', email: 'c@example.com' } })).status).toBe(201);
  });

  it('lets two concurrent requests take the last seat exactly once', async () => {
    const api = client(server, (await createKey(server)).token);
    const ev = (await api('POST', '/events', { json: { ...event, capacity: 1 } })).body as { id: number };
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('POST', `/events/${ev.id}/guests`, { json: { name: `G${i}`, email: `g${i}@example.com` } }),
      ),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('leaves the event unchanged when a guest is added: its ETag still updates it', async () => {
    const api = client(server, (await createKey(server)).token);
    const created = await api('POST', '/events', { json: { ...event, capacity: 5 } });
    const { id } = created.body as { id: number };
    const before = await api('GET', `/events/${id}`);
    const etag = before.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await api('POST', `/events/${id}/guests`, { json: { name: 'A', email: 'a@example.com' } })).status).toBe(
      201,
    );
    const after = await api('GET', `/events/${id}`);
    expect(after.headers.get('etag')).toBe(etag);
    expect(after.body).toEqual(before.body);
    const updated = await api('PATCH', `/events/${id}`, { json: { name: 'Renamed' }, headers: { 'if-match': etag } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Renamed', capacity: 5 });
  });

  it('never lets a capacity cut and concurrent guests leave more guests than seats', async () => {
    const api = client(server, (await createKey(server)).token);
    for (let round = 0; round < 3; round += 1) {
      const ev = (await api('POST', '/events', { json: { ...event, capacity: 10 } })).body as { id: number };
      const path = `/events/${ev.id}/guests`;
      for (const name of ['a', 'b']) await api('POST', path, { json: { name, email: `${name}@example.com` } });
      // Two guests are in; a cut to 3 races three more guests. Whichever order they take, the
      // event never ends with more guests than its capacity.
      const [cut] = await Promise.all([
        api('PATCH', `/events/${ev.id}`, { json: { capacity: 3 } }),
        ...['c', 'd', 'e'].map((name) => api('POST', path, { json: { name, email: `${name}@example.com` } })),
      ]);
      const guests = ((await api('GET', path)).body as unknown[]).length;
      const { capacity } = (await api('GET', `/events/${ev.id}`)).body as { capacity: number };
      expect([200, 409]).toContain(cut?.status);
      expect(capacity).toBe(cut?.status === 200 ? 3 : 10);
      expect(guests).toBeLessThanOrEqual(capacity);
    }
  });

  it('answers 404 for guests of a missing event and deletes guests with their event', async () => {
    const api = client(server, (await createKey(server)).token);
    expect((await api('GET', '/events/999999/guests')).status).toBe(404);
    expect((await api('POST', '/events/999999/guests', { json: { name: 'A', email: 'a@example.com' } })).status).toBe(
      404,
    );
    const ev = (await api('POST', '/events', { json: event })).body as { id: number };
    const guest = (await api('POST', `/events/${ev.id}/guests`, { json: { name: 'A', email: 'a@example.com' } }))
      .body as { id: number };
    expect((await api('DELETE', `/events/${ev.id}`)).status).toBe(200);
    expect((await api('GET', `/events/${ev.id}/guests/${guest.id}`)).status).toBe(404);
    expect((await api('GET', `/events/${ev.id}/guests`)).status).toBe(404);
  });

  it('rejects an event that ends before it starts', async () => {
    const api = client(server, (await createKey(server)).token);
    const res = await api('POST', '/events', { json: { ...event, endsAt: '2026-11-30T00:00:00Z' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ errors: [{ path: '/endsAt' }] });
    const ev = (await api('POST', '/events', { json: { ...event, endsAt: '2026-12-01T23:00:00Z' } })).body as {
      id: number;
    };
    expect((await api('PATCH', `/events/${ev.id}`, { json: { startsAt: '2026-12-02T00:00:00Z' } })).status).toBe(422);
  });

  it('filters guests by rsvp and updates an rsvp with PATCH', async () => {
    const api = client(server, (await createKey(server)).token);
    const ev = (await api('POST', '/events', { json: event })).body as { id: number };
    const path = `/events/${ev.id}/guests`;
    const ann = (await api('POST', path, { json: { name: 'Ann', email: 'ann@example.com' } })).body as { id: number };
    await api('POST', path, { json: { name: 'Bo', email: 'bo@example.com', rsvp: 'no' } });
    expect((await api('PATCH', `${path}/${ann.id}`, { json: { rsvp: 'yes' } })).body).toMatchObject({ rsvp: 'yes' });
    expect(((await api('GET', `${path}?rsvp=yes`)).body as unknown[]).length).toBe(1);
    expect((await api('GET', `${path}?rsvp=soon`)).status).toBe(400);
  });
});

describe('production mode', () => {
  it('requires a write key for writes to todos and users, not for reads', async () => {
    const production = await startTestServer(undefined, { NODE_ENV: 'production' });
    try {
      const anonymous = client(production);
      expect((await anonymous('GET', '/todos/1')).status).toBe(200);
      const denied = await anonymous('POST', '/todos', { json: { userId: 1, title: 'x' } });
      expect(denied.status).toBe(401);
      expect((await anonymous('DELETE', '/users/1')).status).toBe(401);
      const reader = client(production, (await createKey(production, ['read'])).token);
      expect((await reader('PATCH', '/todos/1', { json: { title: 'x' } })).status).toBe(403);
      const writer = client(production, (await createKey(production, ['write'])).token);
      expect((await writer('POST', '/todos', { json: { userId: 1, title: 'x' } })).status).toBe(201);
    } finally {
      await production.dispose();
    }
  });
});
