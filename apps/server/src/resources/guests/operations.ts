import { GuestWriteSchema, type guestsContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { withoutId } from '../../core/field-errors.js';
import { patchResource } from '../../core/merge-patch.js';
import type { Operations } from '../../core/operation.js';
import { created, deleted, ok } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { readCheckWrite } from '../../core/read-check-write.js';
import { deleteGuest, findGuest, insertGuest, listGuests, updateGuest, writableGuest } from './store.js';

/** Guests of the caller's events: email unique per event, no more than the event's capacity. */
export function guestOperations(db: Database): Operations<typeof guestsContract> {
  return {
    list: ({ params, query, caller }) =>
      listPage(query, (filter, page) => listGuests(db, caller.ownerId, params.eventId, filter, page)),
    create: async ({ params, body, caller }) =>
      created(
        `/events/${params.eventId}/guests`,
        await db.$transaction((tx) => insertGuest(tx, caller.ownerId, params.eventId, body)),
      ),
    get: async ({ params, caller }) => ok(await findGuest(db, caller.ownerId, params.eventId, params.guestId)),
    replace: async ({ params, body, caller, ifMatch }) => {
      const data = withoutId(body, params.guestId);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findGuest(tx, caller.ownerId, params.eventId, params.guestId),
          (tx) => updateGuest(tx, params.eventId, params.guestId, data),
        ),
      );
    },
    update: async ({ params, body, caller, ifMatch }) => {
      const patch = withoutId(body, params.guestId);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findGuest(tx, caller.ownerId, params.eventId, params.guestId),
          (tx, current) =>
            updateGuest(
              tx,
              params.eventId,
              params.guestId,
              patchResource(GuestWriteSchema, writableGuest(current), patch),
            ),
        ),
      );
    },
    remove: async ({ params, caller, ifMatch }) => {
      await readCheckWrite(
        db,
        ifMatch,
        (tx) => findGuest(tx, caller.ownerId, params.eventId, params.guestId),
        (tx) => deleteGuest(tx, params.guestId),
      );
      return deleted();
    },
  };
}
