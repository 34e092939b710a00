import { type Event, type EventPatch, type EventReplace, type EventWrite, EventWriteSchema } from '@lockstep/contract';
import type { EventData, EventRepository, EventSortField } from '../repositories/events.js';
import type { Page, PageRequest } from '../repositories/keyset.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import { applyMergePatch } from './merge-patch.js';
import { enforce, type Precondition } from './preconditions.js';
import { assertSameId, toFieldErrors } from './validation.js';

const pickData = ({ name, startsAt, endsAt, location, capacity }: EventData): EventData => ({
  name,
  startsAt,
  endsAt,
  location,
  capacity,
});

/** Capacity may not drop below the guests already registered. */
function assertRoomFor(guestCount: number, data: EventData): void {
  if (data.capacity !== undefined && data.capacity < guestCount) {
    throw new ConflictError(`The event already has ${guestCount} guests; capacity cannot be ${data.capacity}.`);
  }
}

/** The rules for events: owned, capacity never below the guest count, deletes take guests along. */
export class EventService {
  constructor(private readonly events: EventRepository) {}

  list(ownerId: string, filter: { location?: string }, page: PageRequest<EventSortField>): Promise<Page<Event>> {
    return this.events.list(ownerId, filter, page);
  }

  async get(ownerId: string, id: number): Promise<Event> {
    return (await this.events.find(ownerId, id)) ?? notFound(id);
  }

  create(ownerId: string, input: EventWrite): Promise<Event> {
    return this.events.create(ownerId, pickData(input));
  }

  async replace(ownerId: string, id: number, input: EventReplace, ifMatch?: Precondition<Event>): Promise<Event> {
    assertSameId(input.id, id);
    const data = pickData(input);
    const updated = await this.events.modify(ownerId, id, (current, guestCount) => {
      enforce(ifMatch, current);
      assertRoomFor(guestCount, data);
      return data;
    });
    return updated ?? notFound(id);
  }

  /** Merge patch; the merged event is re-validated (endsAt must stay after startsAt). */
  async update(ownerId: string, id: number, patch: EventPatch, ifMatch?: Precondition<Event>): Promise<Event> {
    assertSameId(patch.id, id);
    const { id: _ignored, ...changes } = patch;
    const updated = await this.events.modify(ownerId, id, (current, guestCount) => {
      enforce(ifMatch, current);
      const merged = EventWriteSchema.safeParse(applyMergePatch(pickData(current), changes));
      if (!merged.success)
        throw new InvalidInputError('The patched event would be invalid.', toFieldErrors(merged.error.issues));
      assertRoomFor(guestCount, merged.data);
      return pickData(merged.data);
    });
    return updated ?? notFound(id);
  }

  /** Deletes the event and all of its guests. */
  async remove(ownerId: string, id: number, ifMatch?: Precondition<Event>): Promise<void> {
    if (!(await this.events.delete(ownerId, id, (current) => enforce(ifMatch, current)))) notFound(id);
  }
}

function notFound(id: number): never {
  throw new NotFoundError('Event', id);
}
