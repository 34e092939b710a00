import { type Guest, type GuestListQuery, GuestWriteSchema } from '@lockstep/contract';
import type { DataAccess, DB, Queries } from '@lockstep/db';
import type { Selectable } from 'kysely';
import { ApiError, notFound } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
import type { ItemStore, OwnedKey, Versioned } from '../../core/item-operations.js';
import { changedColumns, deleteItem, nextVersionOf, stamped } from '../../core/item-rows.js';
import {
  equalities,
  keysetPage,
  type ListFilter,
  type Page,
  type PageRequest,
  type SortField,
} from '../../core/paging.js';
import { findEvent, guestCount, lockEvent } from '../events/store.js';

export type GuestData = Pick<Guest, 'name' | 'email' | 'rsvp'>;
type GuestSortField = SortField<GuestListQuery['sort']>;

const columns = ['id', 'eventId', 'name', 'email', 'rsvp', 'createdAt', 'updatedAt'] as const;
const selectGuests = (db: Queries) => db.selectFrom('guests').select(columns);
type Row = Pick<Selectable<DB['guests']>, (typeof columns)[number]>;

const toGuest = (row: Row): Guest => ({
  id: row.id,
  eventId: row.eventId,
  name: row.name,
  email: row.email,
  rsvp: row.rsvp,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const emailTaken = (eventId: number, email: string) => () =>
  new ApiError(409, { detail: `Event ${eventId} already has a guest with email ${email}.` });

/** Guests are reached only through an event of the caller's: its absence is the event's 404. */
export async function listGuests(
  db: DataAccess,
  ownerId: string,
  eventId: number,
  filter: ListFilter<GuestListQuery>,
  page: PageRequest<GuestSortField>,
): Promise<Page<Guest>> {
  await findEvent(db, { ownerId, id: eventId });
  const query = selectGuests(db.read).where((eb) => eb.and({ eventId, ...equalities(filter) }));
  return keysetPage(query, page, toGuest, { name: 'text' });
}

/** A guest's key: the guest's id, within an event of the owner's. */
export interface GuestKey extends OwnedKey {
  eventId: number;
}

/** The guest, through an event of this owner (a join on the owner); a 404 says which of the two is missing. */
async function findGuest(db: DataAccess, { ownerId, eventId, id }: GuestKey): Promise<Versioned<Guest>> {
  const row = await db.read
    .selectFrom('guests')
    .innerJoin('events', 'events.id', 'guests.eventId')
    .select(columns.map((column) => `guests.${column}` as const))
    .select('guests.version')
    .where('guests.id', '=', id)
    .where('guests.eventId', '=', eventId)
    .where('events.ownerId', '=', ownerId)
    .executeTakeFirst();
  if (row) return { item: toGuest(row), version: row.version };
  await findEvent(db, { ownerId, id: eventId });
  throw notFound('Guest', id);
}

/**
 * Adds a guest if the event has room, in the caller's transaction. The event is locked first
 * (`lockEvent`), so two requests cannot both take the last seat, nor a capacity change count
 * before this guest: the second waits for the lock, then counts the first one's guest.
 */
export async function insertGuest(tx: DataAccess, ownerId: string, eventId: number, data: GuestData) {
  const locked = await lockEvent(tx, { ownerId, id: eventId });
  if (!locked) throw notFound('Event', eventId);
  const event = locked.item;
  if (event.capacity !== undefined && (await guestCount(tx, eventId)) >= event.capacity) {
    throw new ApiError(409, { detail: `Event ${eventId} is full.` });
  }
  const insert = tx.write
    .insertInto('guests')
    .values(stamped({ eventId, ...data }))
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toGuest(await withConstraints(insert, { unique: emailTaken(eventId, data.email) }));
}

/** One guest of an owner's event, for the item routes. */
export const guestItems: ItemStore<GuestKey, Guest, GuestData> = {
  find: findGuest,
  update: async (db, { eventId, id }, data, version, current) => {
    const update = db.write
      .updateTable('guests')
      .set(nextVersionOf(changedColumns(data, current)))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(columns)
      .executeTakeFirst();
    const row = await withConstraints(update, { unique: emailTaken(eventId, data.email) });
    return row && toGuest(row);
  },
  remove: (db, { id }, version) => deleteItem(db, 'guests', id, version),
  feed: { resource: 'guests', parentOf: (guest) => guest.eventId },
  writable: ({ name, email, rsvp }) => ({ name, email, rsvp }),
  schema: GuestWriteSchema,
};
