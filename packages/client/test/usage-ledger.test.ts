/**
 * The usage ledger as consumers fill it: typed REST and tRPC clients of two contract versions
 * (this build's, and an older build's, which sends its own version) spread over two instances of
 * one database; each instance adds its counts every 200 ms, and either answers the whole ledger.
 * In the PostgreSQL run the instances share a PostgreSQL database.
 */
import { CONTRACT_VERSION, type ContractUsage, ContractUsageSchema } from '@lockstep/contract';
import { createKey, makeTempDir, startTestServer, type TestServer } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, createTrpcClient } from '../src/index.js';

const OLDER = '0.1.0';
/** What an older build of the client sends: the same requests, its own contract version. */
const builtAt =
  (version: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-contract-version', version);
    return fetch(input, { ...init, headers });
  };

let instances: TestServer[] = [];
let admin: string;
beforeAll(async () => {
  const dir = await makeTempDir();
  const env = { USAGE_FLUSH_MS: '200' };
  instances = [await startTestServer(dir, env)];
  instances.push(await startTestServer(dir, env));
  ({ token: admin } = await createKey(instances[0] as TestServer, ['admin']));
});
afterAll(() => Promise.all(instances.map((instance) => instance.dispose())));

const [a, b] = [() => instances[0] as TestServer, () => instances[1] as TestServer];

async function ledger(server: TestServer): Promise<ContractUsage> {
  const answer = await fetch(`${server.url}/contract/usage`, { headers: { authorization: `Bearer ${admin}` } });
  expect(answer.status).toBe(200);
  return ContractUsageSchema.parse(await answer.json());
}
/** consumer → route → count, for an exact comparison. */
const counts = (usage: ContractUsage) =>
  Object.fromEntries(
    usage.consumers.map((consumer) => [
      consumer.version,
      Object.fromEntries(consumer.routes.map((route) => [route.route, route.count])),
    ]),
  );

describe('the usage ledger across two instances', () => {
  it('counts REST and tRPC calls of two client versions on either instance, once each', async () => {
    const current = { rest: createClient({ baseUrl: a().url }), trpc: createTrpcClient({ baseUrl: b().url }) };
    const older = {
      rest: createClient({ baseUrl: b().url, fetch: builtAt(OLDER) }),
      trpc: createTrpcClient({ baseUrl: a().url, fetch: builtAt(OLDER) }),
    };
    await current.rest.todos.get({ params: { id: 1 } });
    await current.rest.todos.get({ params: { id: 2 } });
    await current.rest.todos.list({ query: { limit: 5 } });
    await current.trpc.todos.get.query({ params: { id: 3 } });
    await current.trpc.users.get.query({ params: { id: 1 } });
    await older.rest.todos.get({ params: { id: 4 } });
    await older.trpc.todos.create.mutate({ body: { userId: 1, title: 'from an older build' } });

    const expected = {
      [CONTRACT_VERSION]: { 'GET /todos/:id': 3, 'GET /todos': 1, 'GET /users/:id': 1 },
      [OLDER]: { 'GET /todos/:id': 1, 'POST /todos': 1 },
    };
    // Each instance's counts arrive within its flush period; either instance answers them all.
    await vi.waitFor(async () => expect(counts(await ledger(a()))).toEqual(expected), {
      timeout: 10_000,
      interval: 100,
    });
    expect(counts(await ledger(b()))).toEqual(expected);
    // Read again after more flushes: added once, never again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(counts(await ledger(b()))).toEqual(expected);
  });
});
