/**
 * Type-level tests, checked by `tsc` in the typecheck step: the types users program against are
 * the product, so a change to their shape must fail here before it reaches anyone.
 */
import type { Problem, Todo, TrpcPage } from '@lockstep/contract';
import { describe, expectTypeOf, it } from 'vitest';
import { createClient, createTrpcClient, type RouteResult } from '../src/index.js';

const api = createClient({ baseUrl: 'http://127.0.0.1:1' });
const trpc = createTrpcClient({ baseUrl: 'http://127.0.0.1:1' });

describe('REST client results', () => {
  it('narrow the body by status: the resource on 200, a problem on an error status', async () => {
    const result = await api.todos.get({ params: { id: 1 } });
    if (result.status === 200) expectTypeOf(result.body).toEqualTypeOf<Todo>();
    if (result.status === 404) expectTypeOf(result.body).toEqualTypeOf<Problem>();
    expectTypeOf(result.unwrap()).toEqualTypeOf<Todo>();
    expectTypeOf(result).toMatchTypeOf<RouteResult<typeof import('@lockstep/contract')['contract']['todos']['get']>>();
  });

  it('take each route’s own input and iterate lists item by item', () => {
    expectTypeOf(api.todos.create).parameter(0).toMatchTypeOf<{ body: { userId: number; title: string } }>();
    expectTypeOf(api.todos.list.all({})).toEqualTypeOf<AsyncIterable<Todo>>();
    // @ts-expect-error a todo needs a title
    void api.todos.create({ body: { userId: 1 } });
    // @ts-expect-error the contract has no such route
    void api.todos.archive;
  });
});

describe('tRPC client', () => {
  it('answers the success body, and a page for lists', () => {
    expectTypeOf(trpc.todos.get.query).returns.resolves.toEqualTypeOf<Todo>();
    expectTypeOf(trpc.todos.list.query).returns.resolves.toEqualTypeOf<TrpcPage<Todo>>();
    expectTypeOf(trpc.todos.create.mutate).parameter(0).toMatchTypeOf<{ body: { userId: number; title: string } }>();
  });
});
