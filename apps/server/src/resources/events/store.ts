import type { Event } from '@lockstep/contract';
import type { Database, DatabaseTransaction, Prisma } from '@lockstep/db';
import { notFound } from '../../core/api-error.js';
import { type CursorValue, keysetQuery, type Page, type PageRequest, toPage } from '../../core/paging.js';

export type EventData = Pick<Event, 'name' | 'startsAt' | 'endsAt' | 'location' | 'capacity'>;
export type EventSortField = 'id' | 'startsAt' | 'name';

type Reader = Database | DatabaseTransaction;
type Row = Prisma.EventGetPayload<object>;

/** Optional members are omitted when unset, as the contract says. */
function toEvent(row: Row): Event {
  return {
    id: row.id,
    name: row.name,
    startsAt: row.startsAt.toISOString(),
    ...(row.endsAt ? { endsAt: row.endsAt.toISOString() } : {}),
    ...(row.location !== null ? { location: row.location } : {}),
    ...(row.capacity !== null ? { capacity: row.capacity } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const toColumns = (data: EventData) => ({
  name: data.name,
  startsAt: new Date(data.startsAt),
  endsAt: data.endsAt ? new Date(data.endsAt) : null,
  location: data.location ?? null,
  capacity: data.capacity ?? null,
});

const toColumnValue = (field: EventSortField, value: CursorValue) =>
  field === 'startsAt' ? new Date(String(value)) : value;

/** The writable members, without the unset optional ones (a merge patch must not see `undefined`). */
export const writableEvent = ({ name, startsAt, endsAt, location, capacity }: EventData): EventData => ({
  name,
  startsAt,
  ...(endsAt !== undefined ? { endsAt } : {}),
  ...(location !== undefined ? { location } : {}),
  ...(capacity !== undefined ? { capacity } : {}),
});

export async function listEvents(
  db: Reader,
  ownerId: string,
  filter: { location?: string },
  page: PageRequest<EventSortField>,
): Promise<Page<Event>> {
  const { where, orderBy, take } = keysetQuery(page, toColumnValue);
  const rows = await db.event.findMany({
    where: { ownerId, ...filter, ...(where as Prisma.EventWhereInput) },
    orderBy: orderBy as Prisma.EventOrderByWithRelationInput[],
    take,
  });
  return toPage(rows.map(toEvent), page, (item) => item[page.sort.field]);
}

/** One of the owner's events; another owner's answers 404, as a missing one does. */
export async function findEvent(db: Reader, ownerId: string, id: number): Promise<Event> {
  const row = await db.event.findFirst({ where: { id, ownerId } });
  if (!row) throw notFound('Event', id);
  return toEvent(row);
}

export async function countGuests(db: Reader, eventId: number): Promise<number> {
  return db.guest.count({ where: { eventId } });
}

export async function insertEvent(db: Reader, ownerId: string, data: EventData): Promise<Event> {
  return toEvent(await db.event.create({ data: { ownerId, ...toColumns(data) } }));
}

export async function updateEvent(tx: DatabaseTransaction, id: number, data: EventData): Promise<Event> {
  return toEvent(await tx.event.update({ where: { id }, data: toColumns(data) }));
}

/** The database cascades to the event's guests. */
export async function deleteEvent(tx: DatabaseTransaction, id: number): Promise<void> {
  await tx.event.delete({ where: { id } });
}
