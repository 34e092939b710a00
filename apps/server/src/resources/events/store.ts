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
 * Locks one of the owner's events for the rest of the transaction without changing it, so that
 * guests added and capacity changed are judged one at a time, each against a guest count that
 * nobody can change meanwhile. The event's version and `updatedAt` stay as they are: a guest is
 * not a change of its event, and a client holding the event's ETag may still update it.
 * PostgreSQL locks the row (`FOR UPDATE`; its READ COMMITTED count then sees the guests of every
 * transaction that held the lock before). SQLite has no row locks: a write that changes nothing
 * takes the database's write lock now, before the count, rather than at the transaction's first
 * real write (another process on the same file waits for it instead of counting alongside).
 * Answers the event and its version, or undefined when the owner has no such event.
 */
export async function lockEvent(tx: DataAccess, { ownerId, id }: OwnedKey): Promise<Versioned<Event> | undefined> {
  const row =
    tx.engine === 'postgresql'
      ? await selectEvents(tx.write)
          .select('version')
          .where('id', '=', id)
          .where('ownerId', '=', ownerId)
          .forUpdate()
          .executeTakeFirst()
      : await tx.write
          .updateTable('events')
          .set((eb) => ({ version: eb.ref('version') }))
          .where('id', '=', id)
          .where('ownerId', '=', ownerId)
          .returning([...columns, 'version'])
          .executeTakeFirst();
  return row && { item: toEvent(row), version: row.version };
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
 * Capacity may not drop below the guests already registered. A write that sets a capacity counts
 * them with the event locked (`lockEvent`), as adding a guest does, so a guest added concurrently
 * is either counted or waits and then finds the new capacity. The write is conditional on the
 * version read before, as every item write is.
 */
async function updateEvent(db: DataAccess, key: OwnedKey, data: EventData, version: number, current: EventData) {
  const write = async (access: DataAccess) => {
    const row = await access.write
      .updateTable('events')
      .set(nextVersionOf(changedColumns(toColumns(data), toColumns(current))))
      .where('id', '=', key.id)
      .where('version', '=', version)
      .returning(columns)
      .executeTakeFirst();
    return row && toEvent(row);
  };
  const { capacity } = data;
  if (capacity === undefined) return write(db);
  return db.transaction(async (tx) => {
    const locked = await lockEvent(tx, key);
    if (locked?.version !== version) return undefined;
    const guests = await guestCount(tx, key.id);
    if (capacity < guests) {
      throw new ApiError(409, { detail: `The event already has ${guests} guests; capacity cannot be ${capacity}.` });
    }
    return write(tx);
  });
}

/** One of an owner's events, for the item routes; deleting it cascades to its guests. */
export const eventItems: ItemStore<OwnedKey, Event, EventData> = {
  find: findVersionedEvent,
  update: updateEvent,
  remove: (db, { id }, version) => deleteItem(db, 'events', id, version),
  feed: { resource: 'events', cascadesTo: 'guests' },
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
