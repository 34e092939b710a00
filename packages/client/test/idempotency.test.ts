/**
 * One Idempotency-Key behaviour through both front doors, driven through the typed clients: a
 * create sent again with its key runs once and replays its answer (refusals too), another body
 * with the key is refused, and REST and tRPC keep the same records, so a key used on one door
 * replays on the other.
 */
import { createKey, startTestServer, type TestServer } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createTrpcClient, type LockstepClient, type LockstepTrpcClient } from '../src/index.js';

let server: TestServer;
let rest: LockstepClient;
let trpc: LockstepTrpcClient;
let replayedOverTrpc: string[];

beforeAll(async () => {
  server = await startTestServer();
  const { token } = await createKey(server);
  replayedOverTrpc = [];
  // The tRPC client's fetch, watched: tRPC's data has no headers, its responses do.
  const watching: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.headers.get('idempotent-replayed') === 'true') replayedOverTrpc.push(String(input));
    return response;
  };
  rest = createClient({ baseUrl: server.url, token, retry: { retries: 0 } });
  trpc = createTrpcClient({ baseUrl: server.url, token, fetch: watching });
});
afterAll(() => server.dispose());

const expense = (description: string) => ({
  amount: 1250,
  currency: 'EUR' as const,
  description,
  occurredAt: '2026-11-25T10:00:00.000Z',
});

/** How many of the caller's transactions have this description (the rows a create left). */
async function rowsDescribed(description: string): Promise<number> {
  const page = await trpc.transactions.list.query({ query: { limit: 1000 } });
  return page.items.filter((item) => item.description === description).length;
}

const trpcStatus = (error: unknown) => (error as { data?: { httpStatus?: number } }).data?.httpStatus;

describe('Idempotency-Key through both doors', () => {
  it('over tRPC: a mutation sent again with its key runs once and replays its answer', async () => {
    const context = { idempotencyKey: 'trpc-once' };
    const first = await trpc.transactions.create.mutate({ body: expense('trpc once') }, { context });
    const again = await trpc.transactions.create.mutate({ body: expense('trpc once') }, { context });
    expect(again).toEqual(first);
    expect(replayedOverTrpc).toHaveLength(1);
    expect(await rowsDescribed('trpc once')).toBe(1);
    // Another body with the same key: refused, as REST refuses it.
    const other = await trpc.transactions.create
      .mutate({ body: expense('something else') }, { context })
      .catch((error: unknown) => error);
    expect(trpcStatus(other)).toBe(422);
    expect(await rowsDescribed('something else')).toBe(0);
  });

  it('over tRPC: a refusal is replayed too', async () => {
    const context = { idempotencyKey: 'trpc-refused' };
    const refused = () =>
      trpc.guests.create
        .mutate({ params: { eventId: 999_999 }, body: { name: 'Ann', email: 'ann@example.com' } }, { context })
        .catch((error: unknown) => error);
    const first = await refused();
    const replayedBefore = replayedOverTrpc.length;
    const again = await refused();
    expect([trpcStatus(first), trpcStatus(again)]).toEqual([404, 404]);
    expect(replayedOverTrpc).toHaveLength(replayedBefore + 1);
  });

  it('keeps one set of records: a key used over REST replays over tRPC, and the other way round', async () => {
    const headers = { 'idempotency-key': 'both-doors' };
    const overRest = await rest.transactions.create({ body: expense('both doors'), extraHeaders: headers });
    expect(overRest.status).toBe(201);
    const overTrpc = await trpc.transactions.create.mutate(
      { body: expense('both doors') },
      { context: { idempotencyKey: 'both-doors' } },
    );
    expect(overTrpc).toEqual(overRest.body);

    const created = await trpc.transactions.create.mutate(
      { body: expense('tRPC first') },
      { context: { idempotencyKey: 'trpc-first' } },
    );
    const replayed = await rest.transactions.create({
      body: expense('tRPC first'),
      extraHeaders: { 'idempotency-key': 'trpc-first' },
    });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('location')).toBe(`/transactions/${created.id}`);
    expect(replayed.body).toEqual(created);
    expect([await rowsDescribed('both doors'), await rowsDescribed('tRPC first')]).toEqual([1, 1]);
  });
});
