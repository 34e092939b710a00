import type { Guest } from '@lockstep/contract';
import type { Database, Prisma } from '@lockstep/db';
import { isUniqueViolation } from './errors.js';
import { keysetQuery, type Page, type PageRequest, toPage } from './keyset.js';

export type GuestData = Pick<Guest, 'name' | 'email' | 'rsvp'>;
export type GuestSortField = 'id' | 'name';

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

/** Outcomes of a guest write that the service turns into 404 / 409. */
export type GuestWriteResult =
  | { ok: true; guest: Guest }
  | { ok: false; reason: 'event-not-found' | 'guest-not-found' | 'email-taken' | 'event-full' };

/**
 * Guests of an owner's events. Every method first finds the event among the owner's, so a
 * guest is reachable only through an event its caller owns.
 */
export class GuestRepository {
  constructor(private readonly db: Database) {}

  /** `null` when the owner has no such event. */
  async list(
    ownerId: string,
    eventId: number,
    filter: { rsvp?: string; email?: string },
    page: PageRequest<GuestSortField>,
  ): Promise<Page<Guest> | null> {
    if (!(await this.eventExists(ownerId, eventId))) return null;
    const { where, orderBy, take } = keysetQuery(page);
    const rows = await this.db.guest.findMany({
      where: { eventId, ...filter, ...(where as Prisma.GuestWhereInput) },
      orderBy: orderBy as Prisma.GuestOrderByWithRelationInput[],
      take,
    });
    return toPage(rows.map(toGuest), page, (item) => item[page.sort.field]);
  }

  private async eventExists(ownerId: string, eventId: number): Promise<boolean> {
    return (await this.db.event.count({ where: { id: eventId, ownerId } })) > 0;
  }

  /** The guest, or which of event or guest is missing. */
  find(ownerId: string, eventId: number, guestId: number): Promise<GuestWriteResult> {
    return findOwnedGuest(this.db, ownerId, eventId, guestId);
  }

  /**
   * Adds a guest if the event has room. The count and the insert run in one transaction, and
   * SQLite runs one write transaction at a time, so two requests cannot both take the last seat.
   */
  async create(ownerId: string, eventId: number, data: GuestData): Promise<GuestWriteResult> {
    try {
      return await this.db.$transaction(async (tx) => {
        const event = await tx.event.findFirst({ where: { id: eventId, ownerId }, select: { capacity: true } });
        if (!event) return { ok: false, reason: 'event-not-found' } as const;
        if (event.capacity !== null && (await tx.guest.count({ where: { eventId } })) >= event.capacity) {
          return { ok: false, reason: 'event-full' } as const;
        }
        return { ok: true, guest: toGuest(await tx.guest.create({ data: { eventId, ...data } })) } as const;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'email-taken' };
      throw error;
    }
  }

  async modify(
    ownerId: string,
    eventId: number,
    guestId: number,
    change: (current: Guest) => GuestData,
  ): Promise<GuestWriteResult> {
    try {
      return await this.db.$transaction(async (tx) => {
        const found = await findOwnedGuest(tx, ownerId, eventId, guestId);
        if (!found.ok) return found;
        const next = change(found.guest);
        return { ok: true, guest: toGuest(await tx.guest.update({ where: { id: guestId }, data: next })) } as const;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'email-taken' };
      throw error;
    }
  }

  /** Deletes the guest after `check` accepts it; otherwise says which of event or guest is missing. */
  async delete(
    ownerId: string,
    eventId: number,
    guestId: number,
    check: (current: Guest) => void = () => {},
  ): Promise<GuestWriteResult> {
    return this.db.$transaction(async (tx) => {
      const found = await findOwnedGuest(tx, ownerId, eventId, guestId);
      if (!found.ok) return found;
      check(found.guest);
      await tx.guest.delete({ where: { id: guestId } });
      return found;
    });
  }
}

/** The guest, reached through an event of this owner, or which of the two is missing. */
async function findOwnedGuest(
  tx: Pick<Database, 'guest' | 'event'>,
  ownerId: string,
  eventId: number,
  guestId: number,
): Promise<{ ok: true; guest: Guest } | { ok: false; reason: 'event-not-found' | 'guest-not-found' }> {
  const row = await tx.guest.findFirst({ where: { id: guestId, eventId, event: { ownerId } } });
  if (row) return { ok: true, guest: toGuest(row) };
  const eventExists = (await tx.event.count({ where: { id: eventId, ownerId } })) > 0;
  return { ok: false, reason: eventExists ? 'guest-not-found' : 'event-not-found' };
}
