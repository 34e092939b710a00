import type { Guest, GuestPatch, GuestReplace, GuestWrite } from '@lockstep/contract';
import type { GuestRepository, GuestSortField, GuestWriteResult } from '../repositories/guests.js';
import type { Page, PageRequest } from '../repositories/keyset.js';
import { ConflictError, NotFoundError } from './errors.js';
import { enforce, type Precondition } from './preconditions.js';
import { assertSameId } from './validation.js';

/** The rules for guests: reachable only through their owner's event, email unique per event. */
export class GuestService {
  constructor(private readonly guests: GuestRepository) {}

  async list(
    ownerId: string,
    eventId: number,
    filter: { rsvp?: string; email?: string },
    page: PageRequest<GuestSortField>,
  ): Promise<Page<Guest>> {
    return (await this.guests.list(ownerId, eventId, filter, page)) ?? eventNotFound(eventId);
  }

  async get(ownerId: string, eventId: number, guestId: number): Promise<Guest> {
    return unwrap(await this.guests.find(ownerId, eventId, guestId), eventId, guestId);
  }

  async create(ownerId: string, eventId: number, input: GuestWrite): Promise<Guest> {
    return unwrap(await this.guests.create(ownerId, eventId, input), eventId, 0, input.email);
  }

  async replace(ownerId: string, eventId: number, guestId: number, input: GuestReplace, ifMatch?: Precondition<Guest>) {
    assertSameId(input.id, guestId);
    const { id: _ignored, ...data } = input;
    const result = await this.guests.modify(ownerId, eventId, guestId, (current) => {
      enforce(ifMatch, current);
      return data;
    });
    return unwrap(result, eventId, guestId, data.email);
  }

  async update(ownerId: string, eventId: number, guestId: number, patch: GuestPatch, ifMatch?: Precondition<Guest>) {
    assertSameId(patch.id, guestId);
    const { id: _ignored, ...changes } = patch;
    const result = await this.guests.modify(ownerId, eventId, guestId, (current) => {
      enforce(ifMatch, current);
      return {
        name: changes.name ?? current.name,
        email: changes.email ?? current.email,
        rsvp: changes.rsvp ?? current.rsvp,
      };
    });
    return unwrap(result, eventId, guestId, changes.email);
  }

  async remove(ownerId: string, eventId: number, guestId: number, ifMatch?: Precondition<Guest>): Promise<void> {
    unwrap(
      await this.guests.delete(ownerId, eventId, guestId, (current) => enforce(ifMatch, current)),
      eventId,
      guestId,
    );
  }
}

function unwrap(result: GuestWriteResult, eventId: number, guestId: number, email?: string): Guest {
  if (result.ok) return result.guest;
  switch (result.reason) {
    case 'event-not-found':
      return eventNotFound(eventId);
    case 'guest-not-found':
      return guestNotFound(guestId);
    case 'email-taken':
      throw new ConflictError(`Event ${eventId} already has a guest with email ${email ?? ''}.`);
    case 'event-full':
      throw new ConflictError(`Event ${eventId} is full.`);
  }
}

function eventNotFound(id: number): never {
  throw new NotFoundError('Event', id);
}
function guestNotFound(id: number): never {
  throw new NotFoundError('Guest', id);
}
