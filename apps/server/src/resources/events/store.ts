import { type Event, type EventListQuery, EventWriteSchema } from '@lockstep/contract';
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
import { nextVersion } from '../../core/constraints.js';
import type { ItemStore, OwnedKey, Versioned } from '../../core/item-operations.js';
import { keysetPage, type ListFilter, type Page, type PageRequest, type SortField } from '../../core/paging.js';

export type EventData = Pick<Event, 'name' | 'startsAt' | 'endsAt' | 'location' | 'capacity'>;
type EventSortField = SortField<EventListQuery['sort']>;

type Row = Prisma.EventGetPayload<object>;
const columns: Record<keyof Row, true> = {
  id: true,
  ownerId: true,
  name: true,
  startsAt: true,
  endsAt: true,
  location: true,
  capacity: true,
  createdAt: true,
  updatedAt: true,
  version: true,
};

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

export async function listEvents(
  db: DatabaseReader,
  ownerId: string,
  filter: ListFilter<EventListQuery>,
  page: PageRequest<EventSortField>,
): Promise<Page<Event>> {
  return keysetPage(
    page,
    (keyset) => selectRows<Row>(db, { from: 'events', columns, where: { ownerId, ...filter }, ...keyset }),
    toEvent,
    { startsAt: 'datetime', name: 'text' },
  );
}

/** One of the owner's events; another owner's answers 404, as a missing one does. */
async function findVersionedEvent(db: DatabaseReader, { ownerId, id }: OwnedKey): Promise<Versioned<Event>> {
  const [row] = await selectRows<Row>(db, { from: 'events', columns, where: { id, ownerId } });
  if (!row) throw notFound('Event', id);
  return { item: toEvent(row), version: row.version };
}

/** One of the owner's events; another owner's answers 404, as a missing one does. */
export const findEvent = async (db: DatabaseReader, key: OwnedKey): Promise<Event> =>
  (await findVersionedEvent(db, key)).item;

/**
 * Claims the event's row for a transaction that adds a guest: bumps its version, which locks the
 * row until the transaction ends (a concurrent guest waits, then counts this one) and makes a
 * capacity change that counted the guests before this one try again (see `updateEvent`).
 * Answers false when the owner has no such event.
 */
export async function claimEvent(tx: DatabaseTransaction, { ownerId, id }: OwnedKey): Promise<boolean> {
  return (await tx.event.updateMany({ where: { id, ownerId }, data: nextVersion })).count > 0;
}

export async function insertEvent(db: DatabaseReader, ownerId: string, data: EventData): Promise<Event> {
  return toEvent(
    await insertItemRow<Row>(db, { table: 'events', values: { ownerId, ...toColumns(data) }, returning: columns }),
  );
}

/**
 * Capacity may not drop below the guests already registered. The count holds for the version it
 * was taken at: a guest added since has bumped the version (`claimEvent`), so the write then
 * finds the row moved on and the request is judged again with a new count.
 */
async function updateEvent(db: DatabaseReader, { id }: OwnedKey, data: EventData, version: number, current: EventData) {
  const guests = await db.guest.count({ where: { eventId: id } });
  if (data.capacity !== undefined && data.capacity < guests) {
    throw new ApiError(409, { detail: `The event already has ${guests} guests; capacity cannot be ${data.capacity}.` });
  }
  const row = await updateItemRow<Row>(db, {
    table: 'events',
    values: toColumns(data),
    current: toColumns(current),
    returning: columns,
    id,
    version,
  });
  return row && toEvent(row);
}

/** One of an owner's events, for the item routes; deleting it cascades to its guests. */
export const eventItems: ItemStore<OwnedKey, Event, EventData> = {
  find: findVersionedEvent,
  update: updateEvent,
  remove: (db, { id }, version) => deleteItemRow(db, { table: 'events', id, version }),
  // Unset optional members are left out, not set to undefined, so a merge patch sees none.
  writable: ({ name, startsAt, endsAt, location, capacity }) => ({
    name,
    startsAt,
    ...(endsAt !== undefined ? { endsAt } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
  }),
  schema: EventWriteSchema,
};
