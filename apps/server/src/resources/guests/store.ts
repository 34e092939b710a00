import { type Guest, type GuestListQuery, GuestWriteSchema } from '@lockstep/contract';
import {
  type DatabaseReader,
  type DatabaseTransaction,
  deleteItemRow,
  insertItemRow,
  type Prisma,
  selectRows,
  updateItemRow,
} from '@lockstep/db';
import { ApiError, notFound } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
import type { ItemStore, OwnedKey, Versioned } from '../../core/item-operations.js';
import { keysetPage, type ListFilter, type Page, type PageRequest, type SortField } from '../../core/paging.js';
import { claimEvent, findEvent } from '../events/store.js';

export type GuestData = Pick<Guest, 'name' | 'email' | 'rsvp'>;
type GuestSortField = SortField<GuestListQuery['sort']>;

type Row = Prisma.GuestGetPayload<object>;
const columns: Record<keyof Row, true> = {
  id: true,
  eventId: true,
  name: true,
  email: true,
  rsvp: true,
  createdAt: true,
  updatedAt: true,
  version: true,
};

const toGuest = (row: Row): Guest => ({
  id: row.id,
  eventId: row.eventId,
  name: row.name,
  email: row.email,
  rsvp: row.rsvp as Guest['rsvp'],
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const emailTaken = (eventId: number, email: string) => () =>
  new ApiError(409, { detail: `Event ${eventId} already has a guest with email ${email}.` });

/** Guests are reached only through an event of the caller's: its absence is the event's 404. */
export async function listGuests(
  db: DatabaseReader,
  ownerId: string,
  eventId: number,
  filter: ListFilter<GuestListQuery>,
  page: PageRequest<GuestSortField>,
): Promise<Page<Guest>> {
  await findEvent(db, { ownerId, id: eventId });
  return keysetPage(
    page,
    (keyset) => selectRows<Row>(db, { from: 'guests', columns, where: { eventId, ...filter }, ...keyset }),
    toGuest,
    { name: 'text' },
  );
}

/** A guest's key: the guest's id, within an event of the owner's. */
export interface GuestKey extends OwnedKey {
  eventId: number;
}

/**
 * The guest, through an event of this owner; a 404 says which of the two is missing. Through
 * Prisma's model API rather than `selectRows`: the owner is the event's, a join.
 */
async function findGuest(db: DatabaseReader, { ownerId, eventId, id }: GuestKey): Promise<Versioned<Guest>> {
  const row = await db.guest.findFirst({ where: { id, eventId, event: { ownerId } } });
  if (row) return { item: toGuest(row), version: row.version };
  await findEvent(db, { ownerId, id: eventId });
  throw notFound('Guest', id);
}

/**
 * Adds a guest if the event has room. The event's row is claimed first (`claimEvent`) and the
 * count and the insert share the caller's transaction (`writeTransaction`), so two requests
 * cannot both take the last seat: the second waits for the row, then counts the first one's
 * guest. A capacity change that counted before this guest finds the event's version moved on
 * and counts again.
 */
export async function insertGuest(tx: DatabaseTransaction, ownerId: string, eventId: number, data: GuestData) {
  if (!(await claimEvent(tx, { ownerId, id: eventId }))) throw notFound('Event', eventId);
  const { capacity } = await findEvent(tx, { ownerId, id: eventId });
  if (capacity !== undefined && (await tx.guest.count({ where: { eventId } })) >= capacity) {
    throw new ApiError(409, { detail: `Event ${eventId} is full.` });
  }
  return toGuest(
    await withConstraints(
      insertItemRow<Row>(tx, { table: 'guests', values: { eventId, ...data }, returning: columns }),
      {
        unique: emailTaken(eventId, data.email),
      },
    ),
  );
}

/** One guest of an owner's event, for the item routes. */
export const guestItems: ItemStore<GuestKey, Guest, GuestData> = {
  find: findGuest,
  update: async (db, { eventId, id }, data, version, current) => {
    const row = await withConstraints(
      updateItemRow<Row>(db, { table: 'guests', values: data, current, returning: columns, id, version }),
      { unique: emailTaken(eventId, data.email) },
    );
    return row && toGuest(row);
  },
  remove: (db, { id }, version) => deleteItemRow(db, { table: 'guests', id, version }),
  writable: ({ name, email, rsvp }) => ({ name, email, rsvp }),
  schema: GuestWriteSchema,
};
