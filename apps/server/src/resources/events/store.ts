import { type Event, type EventListQuery, EventWriteSchema } from '@lockstep/contract';
import type { DataAccess, DB, Queries } from '@lockstep/db';
import type { Selectable } from 'kysely';
import { ApiError } from '../../core/api-error.js';
import { type ItemStore, type OwnedKey, type Versioned, versionedOrNotFound } from '../../core/item-operations.js';
import { changedColumns, deleteItem, nextVersionOf, stamped } from '../../core/item-rows.js';
import {
  equalities,
  keysetPage,
  type ListFilter,
  type Page,
  type PageRequest,
  type SortField,
} from '../../core/paging.js';

export type EventData = Pick<Event, 'name' | 'startsAt' | 'endsAt' | 'location' | 'capacity'>;
type EventSortField = SortField<EventListQuery['sort']>;

const columns = ['id', 'name', 'startsAt', 'endsAt', 'location', 'capacity', 'createdAt', 'updatedAt'] as const;
const selectEvents = (db: Queries) => db.selectFrom('events').select(columns);
type Row = Pick<Selectable<DB['events']>, (typeof columns)[number]>;

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

export function listEvents(
  db: DataAccess,
  ownerId: string,
  filter: ListFilter<EventListQuery>,
  page: PageRequest<EventSortField>,
): Promise<Page<Event>> {
  const query = selectEvents(db.read).where((eb) => eb.and({ ownerId, ...equalities(filter) }));
  return keysetPage(query, page, toEvent, { startsAt: 'datetime', name: 'text' });
}

/** One of the owner's events; another owner's answers 404, as a missing one does. */
async function findVersionedEvent(db: DataAccess, { ownerId, id }: OwnedKey): Promise<Versioned<Event>> {
  const row = await selectEvents(db.read)
    .select('version')
    .where('id', '=', id)
    .where('ownerId', '=', ownerId)
    .executeTakeFirst();
  return versionedOrNotFound(row, toEvent, 'Event', id);
}

/** One of the owner's events; another owner's answers 404, as a missing one does. */
export const findEvent = async (db: DataAccess, key: OwnedKey): Promise<Event> =>
  (await findVersionedEvent(db, key)).item;

/**
 * Claims the event's row for a transaction that adds a guest: bumps its version, which locks the
 * row until the transaction ends (a concurrent guest waits, then counts this one) and makes a
 * capacity change that counted the guests before this one try again (see `updateEvent`).
 * Answers the event, or undefined when the owner has no such event.
 */
export async function claimEvent(tx: DataAccess, { ownerId, id }: OwnedKey): Promise<Event | undefined> {
  const row = await tx.write
    .updateTable('events')
    .set(nextVersionOf({}))
    .where('id', '=', id)
    .where('ownerId', '=', ownerId)
    .returning(columns)
    .executeTakeFirst();
  return row && toEvent(row);
}

/** How many guests an event has. */
export async function guestCount(db: DataAccess, eventId: number): Promise<number> {
  const { count } = await db.read
    .selectFrom('guests')
    .select((eb) => eb.fn.countAll<number | bigint>().as('count'))
    .where('eventId', '=', eventId)
    .executeTakeFirstOrThrow();
  return Number(count);
}

export async function insertEvent(db: DataAccess, ownerId: string, data: EventData): Promise<Event> {
  return toEvent(
    await db.write
      .insertInto('events')
      .values(stamped({ ownerId, ...toColumns(data) }))
      .returning(columns)
      .executeTakeFirstOrThrow(),
  );
}

/**
 * Capacity may not drop below the guests already registered. The count holds for the version it
 * was taken at: a guest added since has bumped the version (`claimEvent`), so the write then
 * finds the row moved on and the request is judged again with a new count.
 */
async function updateEvent(db: DataAccess, { id }: OwnedKey, data: EventData, version: number, current: EventData) {
  const guests = await guestCount(db, id);
  if (data.capacity !== undefined && data.capacity < guests) {
    throw new ApiError(409, { detail: `The event already has ${guests} guests; capacity cannot be ${data.capacity}.` });
  }
  const row = await db.write
    .updateTable('events')
    .set(nextVersionOf(changedColumns(toColumns(data), toColumns(current))))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(columns)
    .executeTakeFirst();
  return row && toEvent(row);
}

/** One of an owner's events, for the item routes; deleting it cascades to its guests. */
export const eventItems: ItemStore<OwnedKey, Event, EventData> = {
  find: findVersionedEvent,
  update: updateEvent,
  remove: (db, { id }, version) => deleteItem(db, 'events', id, version),
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
