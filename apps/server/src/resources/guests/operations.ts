import type { guestsContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { writeTransaction } from '../../core/ambient-transaction.js';
import { itemOperations } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { guestItems, insertGuest, listGuests } from './store.js';

/** Guests of the caller's events: email unique per event, no more than the event's capacity. */
export function guestOperations(db: Database): Operations<typeof guestsContract> {
  return {
    list: ({ params, query, caller }) =>
      listPage(query, (filter, page) => listGuests(db, caller.ownerId, params.eventId, filter, page)),
    create: async ({ params, body, caller }) =>
      created(
        `/events/${params.eventId}/guests`,
        await writeTransaction(db, (tx) => insertGuest(tx, caller.ownerId, params.eventId, body)),
      ),
    ...itemOperations(
      db,
      guestItems,
      ({ params, caller }: { params: { eventId: number; guestId: number }; caller: { ownerId: string } }) => ({
        ownerId: caller.ownerId,
        eventId: params.eventId,
        id: params.guestId,
      }),
    ),
  };
}
