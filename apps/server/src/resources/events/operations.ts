import type { eventsContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { itemOperations, ownedKey } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { eventItems, insertEvent, listEvents } from './store.js';

/** Events: owned; capacity never below the guest count; deleting one deletes its guests. */
export function eventOperations(db: Database): Operations<typeof eventsContract> {
  return {
    list: ({ query, caller }) => listPage(query, (filter, page) => listEvents(db, caller.ownerId, filter, page)),
    create: async ({ body, caller }) => created('/events', await insertEvent(db, caller.ownerId, body)),
    ...itemOperations(
      db,
      eventItems,
      ({ params, caller }: { params: { eventId: number }; caller: { ownerId: string } }) =>
        ownedKey({ params: { id: params.eventId }, caller }),
    ),
  };
}
