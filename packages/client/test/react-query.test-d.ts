/**
 * Type-level tests of the TanStack Query bindings (checked by `tsc`): data, errors, inputs and
 * variables all come from the contract, with nothing written by hand.
 */
import type { Event, Guest, Todo } from '@lockstep/contract';
import { type InfiniteData, QueryClient, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type LockstepError } from '../src/index.js';
import { createQueryBindings } from '../src/react-query.js';

const queryClient = new QueryClient();
const api = createQueryBindings({ client: createClient({ baseUrl: 'http://127.0.0.1:1' }), queryClient });

describe('TanStack Query bindings', () => {
  it('type a read’s data and error from the contract', () => {
    const options = api.events.get.queryOptions({ params: { eventId: 1 } });
    expectTypeOf(useQuery(options).data).toEqualTypeOf<Event | undefined>();
    expectTypeOf(useQuery(options).error).toEqualTypeOf<LockstepError | null>();
    // The key carries the data type, so the cache is typed too.
    expectTypeOf(queryClient.getQueryData(options.queryKey)).toEqualTypeOf<Event | undefined>();
    // @ts-expect-error an event is named by eventId
    api.events.get.queryOptions({ params: { id: 1 } });
  });

  it('page lists as infinite queries, one array of rows per page', () => {
    const pages = useInfiniteQuery(
      api.todos.listByUser.infiniteQueryOptions({ params: { id: 1 }, query: { limit: 20 } }),
    );
    expectTypeOf(pages.data).toEqualTypeOf<InfiniteData<Todo[], string | null> | undefined>();
    // @ts-expect-error an item read is not a list
    void api.todos.get.infiniteQueryOptions;
  });

  it('type a write’s variables and result, with an optional ifMatch', () => {
    const update = useMutation(api.guests.update.mutationOptions());
    expectTypeOf(update.mutateAsync).parameter(0).toMatchTypeOf<{
      params: { eventId: number | string; guestId: number | string };
      body?: { rsvp?: 'pending' | 'yes' | 'no' | 'maybe' };
      ifMatch?: string | false;
    }>();
    expectTypeOf(update.data).toEqualTypeOf<Guest | undefined>();
    // @ts-expect-error rsvp is one of the contract's values
    void update.mutate({ params: { eventId: 1, guestId: 2 }, body: { rsvp: 'perhaps' } });
    // @ts-expect-error writes have no query options
    void api.events.create.queryOptions;
  });

  it('offer keys per route and per resource', () => {
    expectTypeOf(api.events.key()).toEqualTypeOf<readonly unknown[]>();
    expectTypeOf(api.events.list.key).toBeCallableWith({ query: { location: 'Berlin' } });
  });
});
