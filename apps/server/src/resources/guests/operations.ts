import type { guestsContract } from '@lockstep/contract';
import { createItem, itemOperations } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { guestItems, insertGuest, listGuests } from './store.js';

/** Guests of the caller's events: email unique per event, no more than the event's capacity. */
export function guestOperations(): Operations<typeof guestsContract> {
  return {
    list: ({ params, query, caller }, db) =>
      listPage(query, (filter, page) => listGuests(db, caller.ownerId, params.eventId, filter, page)),
    create: async ({ params, body, caller }, db) =>
      created(
        `/events/${params.eventId}/guests`,
        // One transaction of its own, or part of an idempotent request's.
        await createItem(db, guestItems.feed, caller, (tx) => insertGuest(tx, caller.ownerId, params.eventId, body)),
      ),
    ...itemOperations(
      guestItems,
      ({ params, caller }: { params: { eventId: number; guestId: number }; caller: { ownerId: string } }) => ({
        ownerId: caller.ownerId,
        eventId: params.eventId,
        id: params.guestId,
      }),
    ),
  };
}
