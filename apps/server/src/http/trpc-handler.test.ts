import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC, TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type TrpcExchange, trpcHandler } from './trpc-handler.js';
import { plainCalls } from './trpc-plain-calls.js';

// A router with every kind of answer a procedure can give: data, a TRPCError with a cause, a
// thrown Error, invalid input, context, and stream-like data outside a stream.
const t = initTRPC.context<TrpcExchange>().create({
  isDev: false,
  errorFormatter: ({ shape, error }) => ({ ...shape, data: { ...shape.data, cause: error.cause?.message ?? null } }),
});
const router = t.router({
  echo: t.procedure.input((raw: unknown) => raw).query(({ input }) => ({ input: input ?? null })),
  whoami: t.procedure.query(({ ctx }) => ({ name: ctx.req.get('x-name') ?? null })),
  add: t.procedure
    .input(z.object({ a: z.number(), b: z.number() }))
    .mutation(({ input }) => ({ sum: input.a + input.b })),
  conflict: t.procedure.query(() => {
    throw new TRPCError({ code: 'CONFLICT', message: 'taken', cause: new Error('the row moved') });
  }),
  crash: t.procedure.query(() => {
    throw new Error('database unreachable');
  }),
  later: t.procedure.query(() => ({ value: Promise.resolve(1) })),
  nested: t.router({ deep: t.procedure.query(() => 'deep') }),
});

interface ErrorSeen {
  path: string | undefined;
  type: string;
  code: string;
  input: unknown;
}

/** An Express app answering tRPC at /trpc with the given handler, on a loopback port. */
async function serve(handler: (seen: ErrorSeen[]) => RequestHandler) {
  const errors: ErrorSeen[] = [];
  const covered: boolean[] = [];
  const app = express();
  app.use(express.json());
  // Which requests the plain-call path answers (tRPC's adapter ignores the record).
  app.use('/trpc', (req, _res, next) => {
    covered.push(plainCalls(router, req, req.path.slice(1)) !== undefined);
    next();
  });
  app.use('/trpc', handler(errors));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, errors, covered, server };
}

const record =
  (errors: ErrorSeen[]) =>
  ({ error, path, type, input }: { error: TRPCError; path: string | undefined; type: string; input: unknown }) => {
    errors.push({ path, type, code: error.code, input });
  };

let ours: Awaited<ReturnType<typeof serve>>;
let theirs: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  ours = await serve((errors) =>
    trpcHandler({ router, createContext: (exchange) => exchange, onError: record(errors) }),
  );
  theirs = await serve((errors) =>
    createExpressMiddleware({ router, createContext: (exchange) => exchange, onError: record(errors) }),
  );
});
afterAll(() => {
  ours.server.close();
  theirs.server.close();
});

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const json = { 'content-type': 'application/json' };

const calls: Array<[string, boolean, string, RequestInit?]> = [
  ['a query', true, `/echo?${input({ x: 1 })}`],
  ['a query without input', true, '/echo'],
  ['a query with null input', true, `/echo?${input(null)}`],
  ['a query of a nested router', true, '/nested.deep'],
  ['a query reading its context', true, '/whoami', { headers: { 'x-name': 'ada' } }],
  ['a batch of queries', true, `/echo,echo?batch=1&${input({ 0: 'a', 1: { b: 2 } })}`],
  ['a batch with one failure (207)', true, `/echo,conflict?batch=1&${input({ 0: 'a' })}`],
  ['a batch without input', true, '/echo,whoami?batch=1'],
  ['a mutation', true, '/add', { method: 'POST', headers: json, body: JSON.stringify({ a: 1, b: 2 }) }],
  ['a mutation with invalid input', true, '/add', { method: 'POST', headers: json, body: JSON.stringify({ a: 'x' }) }],
  ['a mutation without a body', true, '/add', { method: 'POST', headers: json }],
  [
    'a batch of mutations',
    true,
    '/add,add?batch=1',
    { method: 'POST', headers: json, body: JSON.stringify({ 0: { a: 1, b: 2 }, 1: { a: 3, b: 4 } }) },
  ],
  ['a mutation sent as text', false, '/add', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }],
  ['a mutation without a content type', false, '/add', { method: 'POST' }],
  ['a mutation by GET', false, `/add?${input({ a: 1, b: 2 })}`],
  ['a query by POST', false, '/echo', { method: 'POST', headers: json, body: '{}' }],
  ['an unknown procedure', false, '/nope'],
  ['a batch naming an unknown procedure', false, '/echo,nope?batch=1'],
  ['a batch mixing queries and mutations', false, '/echo,add?batch=1'],
  ['input that is not JSON', false, '/echo?input=%7Bnot'],
  ['batch input that is not an object', false, `/echo?batch=1&${input(5)}`],
  ['a TRPCError with a cause', true, '/conflict'],
  ['a thrown Error', true, '/crash'],
  ['stream-like data outside a stream', true, '/later'],
  ['batch given twice', false, `/echo?batch=1&batch=2&${input({ 0: 'a' })}`],
  ['input given twice', false, `/echo?${input(1)}&${input(2)}`],
  ['an escaped path', false, '/echo%2Cecho?batch=1'],
  [
    'a streamed batch',
    false,
    `/echo,echo?batch=1&${input({ 0: 1, 1: 2 })}`,
    { headers: { 'trpc-accept': 'application/jsonl' } },
  ],
  ['HEAD', false, '/echo', { method: 'HEAD' }],
];

async function answer(base: string, path: string, init?: RequestInit) {
  const response = await fetch(`${base}/trpc${path}`, init);
  const mediaType = response.headers.get('content-type')?.split(';')[0];
  return {
    status: response.status,
    vary: response.headers.get('vary'),
    allow: response.headers.get('allow'),
    // tRPC labels its own request errors text/plain; this handler labels them what they are.
    mediaType: mediaType === 'text/plain' ? 'application/json' : mediaType,
    body: await response.text(),
  };
}

describe('trpcHandler answers as tRPC’s own Express adapter', () => {
  it.each(calls)('%s (answered as plain calls: %s)', async (_name, covered, path, init) => {
    const before = [ours.errors.length, theirs.errors.length];
    const [got, expected] = [await answer(ours.base, path, init), await answer(theirs.base, path, init)];
    expect(got).toEqual(expected);
    expect(ours.covered.at(-1)).toBe(covered);
    expect(ours.errors.slice(before[0])).toEqual(theirs.errors.slice(before[1]));
  });

  it('answers the calls it covers itself, with their data', async () => {
    const batch = await answer(ours.base, `/echo,conflict?batch=1&${input({ 0: 'a' })}`);
    expect(batch.status).toBe(207);
    expect(JSON.parse(batch.body)).toMatchObject([
      { result: { data: { input: 'a' } } },
      { error: { data: { code: 'CONFLICT', httpStatus: 409, cause: 'the row moved' } } },
    ]);
    expect(ours.errors.at(-1)).toEqual({ path: 'conflict', type: 'query', code: 'CONFLICT', input: undefined });
  });
});
