import type { Event } from '@lockstep/contract';
import type { Database, Prisma } from '@lockstep/db';
import { type CursorValue, keysetQuery, type Page, type PageRequest, toPage } from './keyset.js';

export type EventData = Pick<Event, 'name' | 'startsAt' | 'endsAt' | 'location' | 'capacity'>;
export type EventSortField = 'id' | 'startsAt' | 'name';

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

/** Events, always scoped to one owner. */
export class EventRepository {
  constructor(private readonly db: Database) {}

  async list(ownerId: string, filter: { location?: string }, page: PageRequest<EventSortField>): Promise<Page<Event>> {
    const { where, orderBy, take } = keysetQuery(page, toColumnValue);
    const rows = await this.db.event.findMany({
      where: { ownerId, ...filter, ...(where as Prisma.EventWhereInput) },
      orderBy: orderBy as Prisma.EventOrderByWithRelationInput[],
      take,
    });
    return toPage(rows.map(toEvent), page, (item) => item[page.sort.field]);
  }

  async find(ownerId: string, id: number): Promise<Event | null> {
    const row = await this.db.event.findFirst({ where: { id, ownerId } });
    return row && toEvent(row);
  }

  async create(ownerId: string, data: EventData): Promise<Event> {
    return toEvent(await this.db.event.create({ data: { ownerId, ...toColumns(data) } }));
  }

  /**
   * Read, change and write in one transaction. `change` also receives the guest count, so a
   * capacity below it can be refused against the same snapshot the write uses.
   */
  async modify(
    ownerId: string,
    id: number,
    change: (current: Event, guestCount: number) => EventData,
  ): Promise<Event | null> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.event.findFirst({ where: { id, ownerId } });
      if (!current) return null;
      const guestCount = await tx.guest.count({ where: { eventId: id } });
      const next = change(toEvent(current), guestCount);
      return toEvent(await tx.event.update({ where: { id }, data: toColumns(next) }));
    });
  }

  /** Deletes the event, and by cascade its guests, after `check` accepts it. */
  async delete(ownerId: string, id: number, check: (current: Event) => void = () => {}): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.event.findFirst({ where: { id, ownerId } });
      if (!current) return false;
      check(toEvent(current));
      await tx.event.delete({ where: { id } });
      return true;
    });
  }
}
