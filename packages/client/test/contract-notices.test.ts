/**
 * What the client is told about the contract, never thrown: a route the server answers as
 * deprecated (once per route, through `onDeprecated`, by default one console warning), and a
 * server whose contract breaks the client's (`onVersionSkew`). The server is the REST front door
 * on a fixture contract that deprecates the todo routes (the API itself deprecates nothing).
 */
import { CONTRACT_VERSION } from '@lockstep/contract';
import {
  TODOS_DEPRECATION as deprecated,
  deprecatedTodosContract,
  deprecatedTodosOperations,
  type FixtureServer,
  serveFixtureContract,
  FIXTURE_TODO as todo,
} from '@lockstep/server/fixture-contract';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contractNotices } from '../src/contract-notices.js';
import { createClient, type DeprecatedRoute, type VersionSkew } from '../src/index.js';

/** What the client is told of `GET /todos/:id` on the fixture. */
const todoReadNotice: DeprecatedRoute = {
  route: 'GET /todos/:id',
  operation: 'todos.get',
  deprecation: new Date('2026-11-01T00:00:00Z'),
  sunset: new Date('2027-06-01T00:00:00Z'),
  link: deprecated.link,
};

const servers: FixtureServer[] = [];
const serve = async (contractVersion?: string) => {
  const server = await serveFixtureContract(deprecatedTodosContract, deprecatedTodosOperations, { contractVersion });
  servers.push(server);
  return server;
};
let server: FixtureServer;
beforeAll(async () => {
  server = await serve();
});
afterAll(() => Promise.all(servers.map((each) => each.close())));
afterEach(() => vi.restoreAllMocks());

describe('a deprecated route', () => {
  it('is told to onDeprecated once per route, with its sunset and link, and the calls succeed', async () => {
    const told: DeprecatedRoute[] = [];
    const api = createClient({ baseUrl: server.url, onDeprecated: (notice) => told.push(notice) });
    for (let n = 0; n < 3; n += 1) expect((await api.todos.get({ params: { id: 1 } })).unwrap()).toEqual(todo);
    expect((await api.todos.list()).status).toBe(200);
    expect((await api.todos.create({ body: { userId: 1, title: 'x' } })).status).toBe(201);
    expect(told).toEqual([todoReadNotice, expect.objectContaining({ route: 'GET /todos', operation: 'todos.list' })]);
  });

  it('is one console warning per route by default, and a hook that throws fails no call', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const api = createClient({ baseUrl: server.url });
    await api.todos.get({ params: { id: 1 } });
    await api.todos.get({ params: { id: 1 } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      'lockstep: GET /todos/:id (todos.get) is deprecated; it may stop answering from 2027-06-01 (https://example.com/todos-v2).',
    );
    const throwing = createClient({
      baseUrl: server.url,
      onDeprecated: () => {
        throw new Error('the hook’s own bug');
      },
    });
    expect((await throwing.todos.get({ params: { id: 1 } })).status).toBe(200);
  });

  it('is told to a tRPC client from the contract it was built with (a batch’s headers cannot say which call)', () => {
    const told: DeprecatedRoute[] = [];
    const notices = contractNotices({ onDeprecated: (notice) => told.push(notice) }, deprecatedTodosContract);
    notices.sawProcedure('todos.get');
    notices.sawProcedure('todos.get');
    notices.sawProcedure('todos.create');
    expect(told).toEqual([todoReadNotice]);
  });
});

describe('version skew', () => {
  it('tells onVersionSkew once when the server’s contract breaks the client’s, and never for a compatible one', async () => {
    const [major = 0, minor = 0] = CONTRACT_VERSION.split('.').map(Number);
    const breaking = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
    const compatible = `${major}.${minor}.${99}`;
    const told: VersionSkew[] = [];
    for (const version of [breaking, compatible]) {
      const other = await serve(version);
      const api = createClient({
        baseUrl: other.url,
        onVersionSkew: (skew) => told.push(skew),
        onDeprecated: () => undefined,
      });
      expect((await api.todos.get({ params: { id: 1 } })).status).toBe(200);
      expect((await api.todos.create({ body: { userId: 1, title: 'x' } })).status).toBe(201);
    }
    expect(told).toEqual([{ client: CONTRACT_VERSION, server: breaking }]);
  });
});
