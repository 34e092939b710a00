import type { Guest } from '@lockstep/contract';
import type { Database, DatabaseTransaction, Prisma } from '@lockstep/db';
import { ApiError, notFound } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
import { keysetQuery, type Page, type PageRequest, toPage } from '../../core/paging.js';
import { findEvent } from '../events/store.js';

export type GuestData = Pick<Guest, 'name' | 'email' | 'rsvp'>;
export type GuestSortField = 'id' | 'name';

type Reader = Database | DatabaseTransaction;
type Row = Prisma.GuestGetPayload<object>;

const toGuest = (row: Row): Guest => ({
  id: row.id,
  eventId: row.eventId,
  name: row.name,
  email: row.email,
  rsvp: row.rsvp as Guest['rsvp'],
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const writableGuest = ({ name, email, rsvp }: Guest): GuestData => ({ name, email, rsvp });

const emailTaken = (eventId: number, email: string) => () =>
  new ApiError(409, { detail: `Event ${eventId} already has a guest with email ${email}.` });

/** Guests are reached only through an event of the caller's: its absence is the event's 404. */
export async function listGuests(
  db: Reader,
  ownerId: string,
  eventId: number,
  filter: { rsvp?: string; email?: string },
  page: PageRequest<GuestSortField>,
): Promise<Page<Guest>> {
  await findEvent(db, ownerId, eventId);
  const { where, orderBy, take } = keysetQuery(page);
  const rows = await db.guest.findMany({
    where: { eventId, ...filter, ...(where as Prisma.GuestWhereInput) },
    orderBy: orderBy as Prisma.GuestOrderByWithRelationInput[],
    take,
  });
  return toPage(rows.map(toGuest), page, (item) => item[page.sort.field]);
}

/** The guest, through an event of this owner; a 404 says which of the two is missing. */
export async function findGuest(db: Reader, ownerId: string, eventId: number, guestId: number): Promise<Guest> {
  const row = await db.guest.findFirst({ where: { id: guestId, eventId, event: { ownerId } } });
  if (row) return toGuest(row);
  await findEvent(db, ownerId, eventId);
  throw notFound('Guest', guestId);
}

/**
 * Adds a guest if the event has room. The count and the insert share the caller's transaction,
 * and SQLite runs one write transaction at a time, so two requests cannot both take the last seat.
 */
export async function insertGuest(tx: DatabaseTransaction, ownerId: string, eventId: number, data: GuestData) {
  const { capacity } = await findEvent(tx, ownerId, eventId);
  if (capacity !== undefined && (await tx.guest.count({ where: { eventId } })) >= capacity) {
    throw new ApiError(409, { detail: `Event ${eventId} is full.` });
  }
  return toGuest(
    await withConstraints(tx.guest.create({ data: { eventId, ...data } }), { unique: emailTaken(eventId, data.email) }),
  );
}

export async function updateGuest(tx: DatabaseTransaction, eventId: number, guestId: number, data: GuestData) {
  return toGuest(
    await withConstraints(tx.guest.update({ where: { id: guestId }, data }), {
      unique: emailTaken(eventId, data.email),
    }),
  );
}

export async function deleteGuest(tx: DatabaseTransaction, guestId: number): Promise<void> {
  await tx.guest.delete({ where: { id: guestId } });
}
