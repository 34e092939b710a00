import { z } from 'zod';
import {
  CursorQuerySchema,
  DateTimeSchema,
  EmptyObjectSchema,
  IdSchema,
  LimitQuerySchema,
  PathIdSchema,
  RepeatedIdSchema,
  sortQuery,
} from './common.js';
import { EventPathParamsSchema } from './events.js';
import { c, ownerRoute, routerOptions } from './routes.js';

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
export const GuestReplaceSchema = GuestWriteSchema.extend({ id: RepeatedIdSchema }).strict();
export const GuestPatchSchema = GuestSchema.pick({ name: true, email: true, rsvp: true })
  .partial()
  .extend({ id: RepeatedIdSchema })
  .strict();

export const GuestListQuerySchema = z
  .object({
    rsvp: RsvpSchema.optional(),
    email: z.string().max(254).optional(),
    sort: sortQuery(['id', 'name']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export const GuestPathParamsSchema = z.object({ eventId: PathIdSchema, guestId: PathIdSchema });

export type Rsvp = z.infer<typeof RsvpSchema>;
export type Guest = z.infer<typeof GuestSchema>;
export type GuestWrite = z.infer<typeof GuestWriteSchema>;
export type GuestReplace = z.infer<typeof GuestReplaceSchema>;
export type GuestPatch = z.infer<typeof GuestPatchSchema>;
export type GuestListQuery = z.infer<typeof GuestListQuerySchema>;

export const guestsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/events/:eventId/guests',
      pathParams: EventPathParamsSchema,
      query: GuestListQuerySchema,
      responses: { 200: z.array(GuestSchema) },
      summary: "List an event's guests; filter by rsvp or email, sort by id or name",
      metadata: ownerRoute,
    },
    create: {
      method: 'POST',
      path: '/events/:eventId/guests',
      pathParams: EventPathParamsSchema,
      body: GuestWriteSchema,
      responses: { 201: GuestSchema },
      summary: 'Add a guest; 409 when the email is taken or the event is full; honours Idempotency-Key',
      metadata: ownerRoute,
    },
    get: {
      method: 'GET',
      path: '/events/:eventId/guests/:guestId',
      pathParams: GuestPathParamsSchema,
      responses: { 200: GuestSchema },
      summary: 'Get one guest',
      metadata: ownerRoute,
    },
    replace: {
      method: 'PUT',
      path: '/events/:eventId/guests/:guestId',
      pathParams: GuestPathParamsSchema,
      body: GuestReplaceSchema,
      responses: { 200: GuestSchema },
      summary: 'Replace a guest; honours If-Match',
      metadata: ownerRoute,
    },
    update: {
      method: 'PATCH',
      path: '/events/:eventId/guests/:guestId',
      pathParams: GuestPathParamsSchema,
      body: GuestPatchSchema,
      responses: { 200: GuestSchema },
      summary: 'Update a guest with a JSON Merge Patch; honours If-Match',
      metadata: ownerRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/events/:eventId/guests/:guestId',
      pathParams: GuestPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Remove a guest; honours If-Match',
      metadata: ownerRoute,
    },
  },
  routerOptions,
);
