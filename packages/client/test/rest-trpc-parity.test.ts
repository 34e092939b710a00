/**
 * One contract, two front doors: every route driven through REST (the typed client) and through
 * tRPC (the typed tRPC client), each against its own fresh server, must give the same results.
 */

import { contract, contractRoutes, type LockstepTrpcRouter, TRPC_PATH } from '@lockstep/contract';
import { createKey, startTestServer, type TestServer } from '@lockstep/server/testing';
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  createTrpcClient,
  type LockstepClient,
  type LockstepTrpcClient,
  nextLink,
  TRPCClientError,
} from '../src/index.js';

/** A call's result; `next` is the cursor of the next page, for lists. */
type Outcome = { ok: true; body: unknown; next?: string | null } | { ok: false; status: number; problem: unknown };
type Input = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
type Caller = (resource: string, action: string, input: Input) => Promise<Outcome>;

/** Timestamps are the only members allowed to differ between two servers. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'createdAt' && key !== 'updatedAt' && key !== 'instance')
        .map(([key, member]) => [key, normalise(member)]),
    );
  }
  return value;
}

function restCaller(client: LockstepClient): Caller {
  return async (resource, action, input) => {
    const call = (
      client as unknown as Record<string, Record<string, (args: Input) => Promise<{ status: number; body: unknown }>>>
    )[resource]?.[action];
    if (!call) throw new Error(`no REST route ${resource}.${action}`);
    const result = await call(input);
    if (result.status >= 300) return { ok: false, status: result.status, problem: result.body };
    if (!Array.isArray(result.body)) return { ok: true, body: result.body };
    // REST announces the next page in a Link header; the cursor is its `cursor` parameter.
    const link = nextLink((result as unknown as { headers: Headers }).headers);
    return { ok: true, body: result.body, next: link ? new URL(link, 'http://x').searchParams.get('cursor') : null };
  };
}

function trpcCaller(trpc: LockstepTrpcClient): Caller {
  return async (resource, action, input) => {
    const route = (contract as unknown as Record<string, Record<string, { method: string }>>)[resource]?.[action];
    const procedure = (
      trpc as unknown as Record<string, Record<string, Record<string, (input: Input) => Promise<unknown>>>>
    )[resource]?.[action];
    if (!route || !procedure) throw new Error(`no tRPC procedure ${resource}.${action}`);
    try {
      const body = await (route.method === 'GET' ? procedure.query : procedure.mutate)?.(input);
      // A list procedure answers a page: its items and the next page's cursor.
      const page = body as { items?: unknown; nextCursor?: string | null };
      if (route.method === 'GET' && Array.isArray(page.items))
        return { ok: true, body: page.items, next: page.nextCursor };
      return { ok: true, body };
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error;
      const data = error.data as { httpStatus: number; problem?: unknown };
      return { ok: false, status: data.httpStatus, problem: data.problem };
    }
  };
}

/** A scenario touching every route of the contract, with successes and failures. */
async function scenario(call: Caller): Promise<Array<[string, Outcome]>> {
  const log: Array<[string, Outcome]> = [];
  const step = async (resource: string, action: string, input: Input = {}) => {
    const outcome = await call(resource, action, input);
    log.push([`${resource}.${action}`, outcome]);
    return outcome;
  };
  const id = (outcome: Outcome) => (outcome.ok ? (outcome.body as { id: number }).id : -1);

  const firstPage = await step('todos', 'list', { query: { userId: 2, completed: true, limit: 5 } });
  if (firstPage.ok && firstPage.next) {
    await step('todos', 'list', { query: { userId: 2, completed: true, limit: 5, cursor: firstPage.next } });
  }
  await step('todos', 'listByUser', { params: { id: 3 }, query: { sort: '-title', limit: 3 } });
  const todo = id(await step('todos', 'create', { body: { userId: 1, title: 'Buy milk' } }));
  await step('todos', 'create', { body: { userId: 'one', title: 5 } });
  await step('todos', 'get', { params: { id: todo } });
  await step('todos', 'replace', { params: { id: todo }, body: { userId: 2, title: 'Wash car', completed: true } });
  await step('todos', 'update', { params: { id: todo }, body: { title: 'Mow lawn' } });
  await step('todos', 'remove', { params: { id: todo } });
  await step('todos', 'get', { params: { id: todo } });

  await step('users', 'list', { query: { limit: 3 } });
  const user = id(await step('users', 'create', { body: { name: 'Alice', email: 'alice@example.com' } }));
  await step('users', 'get', { params: { id: user } });
  await step('users', 'replace', { params: { id: user }, body: { name: 'Alice B', phone: '123' } });
  await step('users', 'update', { params: { id: user }, body: { phone: null, address: { city: 'Lisbon' } } });
  await step('users', 'remove', { params: { id: user } });

  const tx = id(
    await step('transactions', 'create', {
      body: { amount: 1250, currency: 'EUR', description: 'coffee', occurredAt: '2026-11-25T10:00:00Z' },
    }),
  );
  await step('transactions', 'list', { query: { currency: 'EUR' } });
  await step('transactions', 'get', { params: { id: tx } });
  await step('transactions', 'replace', {
    params: { id: tx },
    body: { amount: -300, currency: 'USD', occurredAt: '2026-11-25T11:00:00Z' },
  });
  await step('transactions', 'update', { params: { id: tx }, body: { description: 'refund' } });
  await step('transactions', 'remove', { params: { id: tx } });
  await step('transactions', 'get', { params: { id: tx } });

  const ev = id(
    await step('events', 'create', { body: { name: 'Party', startsAt: '2026-12-01T18:00:00Z', capacity: 1 } }),
  );
  await step('events', 'list', { query: { sort: '-startsAt' } });
  await step('events', 'get', { params: { eventId: ev } });
  await step('events', 'replace', {
    params: { eventId: ev },
    body: { name: 'Party!', startsAt: '2026-12-01T18:00:00Z', capacity: 1, location: 'Porto' },
  });
  await step('events', 'update', { params: { eventId: ev }, body: { location: null } });
  const guest = id(
    await step('guests', 'create', { params: { eventId: ev }, body: { name: 'Ann', email: 'ann@example.com' } }),
  );
  await step('guests', 'create', { params: { eventId: ev }, body: { name: 'Bo', email: 'bo@example.com' } }); // full: 409
  await step('guests', 'list', { params: { eventId: ev } });
  await step('guests', 'get', { params: { eventId: ev, guestId: guest } });
  await step('guests', 'replace', {
    params: { eventId: ev, guestId: guest },
    body: { name: 'Ann B', email: 'ann@example.com', rsvp: 'yes' },
  });
  await step('guests', 'update', { params: { eventId: ev, guestId: guest }, body: { rsvp: 'maybe' } });
  await step('guests', 'remove', { params: { eventId: ev, guestId: guest } });
  await step('events', 'remove', { params: { eventId: ev } });
  await step('events', 'get', { params: { eventId: ev } });
  await step('events', 'get', { params: { eventId: 'abc' } });
  return log;
}

let restServer: TestServer;
let trpcServer: TestServer;
beforeAll(async () => {
  [restServer, trpcServer] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(async () => {
  await Promise.all([restServer.dispose(), trpcServer.dispose()]);
});

describe('REST and tRPC', () => {
  it('give identical results for every route of the contract', async () => {
    const rest = createClient({ baseUrl: restServer.url, token: (await createKey(restServer)).token });
    const trpc = createTrpcClient({ baseUrl: trpcServer.url, token: (await createKey(trpcServer)).token });
    const viaRest = await scenario(restCaller(rest));
    const viaTrpc = await scenario(trpcCaller(trpc));

    const allRoutes = contractRoutes(contract).map(({ key }) => key.join('.'));
    expect(new Set(viaRest.map(([route]) => route))).toEqual(new Set(allRoutes));
    // Paging is compared too: the first todos page has a next one, followed on both doors.
    expect(viaRest.filter(([route]) => route === 'todos.list')).toHaveLength(2);
    expect(viaRest.some(([, outcome]) => !outcome.ok)).toBe(true);
    expect(normalise(viaTrpc)).toEqual(normalise(viaRest));
  });

  it('applies the same access rules: no key → UNAUTHORIZED, read-only key → FORBIDDEN', async () => {
    const anonymous = trpcCaller(createTrpcClient({ baseUrl: trpcServer.url }));
    expect(await anonymous('transactions', 'list', {})).toMatchObject({ ok: false, status: 401 });
    const reader = trpcCaller(
      createTrpcClient({ baseUrl: trpcServer.url, token: (await createKey(trpcServer, ['read'])).token }),
    );
    expect(await reader('events', 'list', {})).toMatchObject({ ok: true });
    expect(await reader('events', 'create', { body: { name: 'x', startsAt: '2026-12-01T00:00:00Z' } })).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it("answers alike over each of tRPC's HTTP links: one call per request, batched, and streamed batches", async () => {
    const url = `${trpcServer.url}${TRPC_PATH}`;
    const links = {
      single: httpLink({ url }),
      streamed: httpBatchStreamLink({ url }),
      batched: httpBatchLink({ url }),
    };
    const answers: Record<string, unknown> = {};
    for (const [name, link] of Object.entries(links)) {
      const trpc = createTRPCClient<LockstepTrpcRouter>({ links: [link] });
      // Three calls at once: one batch for the batching links, one of them failing (404).
      answers[name] = await Promise.all([
        trpc.todos.get.query({ params: { id: 1 } }),
        trpc.todos.get.query({ params: { id: 999_999 } }).catch((error: unknown) => {
          if (!(error instanceof TRPCClientError)) throw error;
          return { code: error.data?.code, status: error.data?.problem?.status };
        }),
        trpc.users.get.query({ params: { id: 2 } }),
      ]);
    }
    const rest = createClient({ baseUrl: restServer.url });
    const [todo, user] = await Promise.all([
      rest.todos.get({ params: { id: 1 } }),
      rest.users.get({ params: { id: 2 } }),
    ]);
    expect(answers.single).toEqual([todo.body, { code: 'NOT_FOUND', status: 404 }, user.body]);
    expect(answers.streamed).toEqual(answers.single);
    expect(answers.batched).toEqual(answers.single);
  });
});
