import { EventWriteSchema, type eventsContract } from '@lockstep/contract';
import type { Database, DatabaseTransaction } from '@lockstep/db';
import { ApiError } from '../../core/api-error.js';
import { withoutId } from '../../core/field-errors.js';
import { patchResource } from '../../core/merge-patch.js';
import type { Operations } from '../../core/operation.js';
import { created, deleted, ok } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { readCheckWrite } from '../../core/read-check-write.js';
import {
  countGuests,
  deleteEvent,
  type EventData,
  findEvent,
  insertEvent,
  listEvents,
  updateEvent,
  writableEvent,
} from './store.js';

/** Capacity may not drop below the guests already registered (checked in the write's transaction). */
async function updateWithRoom(tx: DatabaseTransaction, id: number, data: EventData) {
  const guests = await countGuests(tx, id);
  if (data.capacity !== undefined && data.capacity < guests) {
    throw new ApiError(409, { detail: `The event already has ${guests} guests; capacity cannot be ${data.capacity}.` });
  }
  return updateEvent(tx, id, data);
}

/** Events: owned; capacity never below the guest count; deleting one deletes its guests. */
export function eventOperations(db: Database): Operations<typeof eventsContract> {
  return {
    list: ({ query, caller }) => listPage(query, (filter, page) => listEvents(db, caller.ownerId, filter, page)),
    create: async ({ body, caller }) => created('/events', await insertEvent(db, caller.ownerId, body)),
    get: async ({ params, caller }) => ok(await findEvent(db, caller.ownerId, params.eventId)),
    replace: async ({ params, body, caller, ifMatch }) => {
      const data = withoutId(body, params.eventId);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findEvent(tx, caller.ownerId, params.eventId),
          (tx) => updateWithRoom(tx, params.eventId, data),
        ),
      );
    },
    update: async ({ params, body, caller, ifMatch }) => {
      const patch = withoutId(body, params.eventId);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findEvent(tx, caller.ownerId, params.eventId),
          (tx, current) =>
            updateWithRoom(tx, params.eventId, patchResource(EventWriteSchema, writableEvent(current), patch)),
        ),
      );
    },
    remove: async ({ params, caller, ifMatch }) => {
      await readCheckWrite(
        db,
        ifMatch,
        (tx) => findEvent(tx, caller.ownerId, params.eventId),
        (tx) => deleteEvent(tx, params.eventId),
      );
      return deleted();
    },
  };
}
