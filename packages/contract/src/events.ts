import { z } from 'zod';
import {
  CursorQuerySchema,
  DateTimeSchema,
  IdSchema,
  LimitQuerySchema,
  PathIdSchema,
  removable,
  sortQuery,
} from './common.js';

/** An event, visible only to the API key owner that created it. */
export const EventSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  startsAt: DateTimeSchema,
  endsAt: DateTimeSchema.optional(),
  location: z.string().min(1).max(200).optional(),
  /** Most guests the event takes; adding one more answers 409. */
  capacity: z.number().int().min(1).max(1_000_000).optional(),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});

const endsAfterStart = (event: { startsAt?: string | null; endsAt?: string | null }) =>
  !event.startsAt || !event.endsAt || Date.parse(event.endsAt) >= Date.parse(event.startsAt);
const endsAfterStartIssue = { message: 'must not be before startsAt', path: ['endsAt'] };

const EventWriteShape = EventSchema.pick({ name: true, startsAt: true, endsAt: true, location: true, capacity: true });

export const EventWriteSchema = EventWriteShape.strict().refine(endsAfterStart, endsAfterStartIssue);
export const EventReplaceSchema = EventWriteShape.extend({ id: IdSchema.optional() })
  .strict()
  .refine(endsAfterStart, endsAfterStartIssue);

/** PATCH body (merge patch): `null` removes endsAt, location or capacity. */
export const EventPatchSchema = z
  .object({
    id: IdSchema.optional(),
    name: EventSchema.shape.name.optional(),
    startsAt: EventSchema.shape.startsAt.optional(),
    endsAt: removable(EventSchema.shape.endsAt.unwrap()),
    location: removable(EventSchema.shape.location.unwrap()),
    capacity: removable(EventSchema.shape.capacity.unwrap()),
  })
  .strict();

export const EventListQuerySchema = z
  .object({
    location: z.string().min(1).max(200).optional(),
    sort: sortQuery(['id', 'startsAt', 'name']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export const RSVP_VALUES = ['pending', 'yes', 'no', 'maybe'] as const;
export const RsvpSchema = z.enum(RSVP_VALUES);

/** A guest of an event; the email is unique within the event. */
export const GuestSchema = z.object({
  id: IdSchema,
  eventId: IdSchema,
  name: z.string().min(1).max(200),
  email: z.email().max(254),
  rsvp: RsvpSchema,
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});

export const GuestWriteSchema = GuestSchema.pick({ name: true, email: true, rsvp: true })
  .extend({ rsvp: RsvpSchema.default('pending') })
  .strict();
export const GuestReplaceSchema = GuestWriteSchema.extend({ id: IdSchema.optional() }).strict();
export const GuestPatchSchema = GuestSchema.pick({ id: true, name: true, email: true, rsvp: true }).partial().strict();

export const GuestListQuerySchema = z
  .object({
    rsvp: RsvpSchema.optional(),
    email: z.string().max(254).optional(),
    sort: sortQuery(['id', 'name']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export const EventPathParamsSchema = z.object({ eventId: PathIdSchema });
export const GuestPathParamsSchema = z.object({ eventId: PathIdSchema, guestId: PathIdSchema });

export type Event = z.infer<typeof EventSchema>;
export type EventWrite = z.infer<typeof EventWriteSchema>;
export type EventReplace = z.infer<typeof EventReplaceSchema>;
export type EventPatch = z.infer<typeof EventPatchSchema>;
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
export type Rsvp = z.infer<typeof RsvpSchema>;
export type Guest = z.infer<typeof GuestSchema>;
export type GuestWrite = z.infer<typeof GuestWriteSchema>;
export type GuestReplace = z.infer<typeof GuestReplaceSchema>;
export type GuestPatch = z.infer<typeof GuestPatchSchema>;
export type GuestListQuery = z.infer<typeof GuestListQuerySchema>;
