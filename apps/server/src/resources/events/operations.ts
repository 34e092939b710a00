import type { eventsContract } from '@lockstep/contract';
import { createItem, itemOperations, ownedKey } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { eventItems, insertEvent, listEvents } from './store.js';

/** Events: owned; capacity never below the guest count; deleting one deletes its guests. */
export function eventOperations(): Operations<typeof eventsContract> {
  return {
    list: ({ query, caller }, db) => listPage(query, (filter, page) => listEvents(db, caller.ownerId, filter, page)),
    create: async ({ body, caller }, db) =>
      created('/events', await createItem(db, eventItems.feed, caller, (tx) => insertEvent(tx, caller.ownerId, body))),
    ...itemOperations(eventItems, ({ params, caller }: { params: { eventId: number }; caller: { ownerId: string } }) =>
      ownedKey({ params: { id: params.eventId }, caller }),
    ),
  };
}
