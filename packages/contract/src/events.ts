import { z } from 'zod';
import {
  CursorQuerySchema,
  DateTimeSchema,
  EmptyObjectSchema,
  IdSchema,
  LimitQuerySchema,
  PathIdSchema,
  RepeatedIdSchema,
  removable,
  sortQuery,
} from './common.js';
import { c, ownerRoute, routerOptions } from './routes.js';

/** An event, visible only to the API key owner that created it. */
export const EventSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  startsAt: DateTimeSchema,
  endsAt: DateTimeSchema.meta({
    description: 'When the event ends: never before startsAt (a write that puts it before answers 422).',
  }).optional(),
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
export const EventReplaceSchema = EventWriteShape.extend({ id: RepeatedIdSchema })
  .strict()
  .refine(endsAfterStart, endsAfterStartIssue);

/** PATCH body (merge patch): `null` removes endsAt, location or capacity. */
export const EventPatchSchema = z
  .object({
    id: RepeatedIdSchema,
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

export const EventPathParamsSchema = z.object({ eventId: PathIdSchema });

export type Event = z.infer<typeof EventSchema>;
export type EventWrite = z.infer<typeof EventWriteSchema>;
export type EventReplace = z.infer<typeof EventReplaceSchema>;
export type EventPatch = z.infer<typeof EventPatchSchema>;
export type EventListQuery = z.infer<typeof EventListQuerySchema>;

export const eventsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/events',
      query: EventListQuerySchema,
      responses: { 200: z.array(EventSchema) },
      summary: "List the caller's events; filter by location, sort by id, startsAt or name",
      metadata: ownerRoute,
    },
    create: {
      method: 'POST',
      path: '/events',
      body: EventWriteSchema,
      responses: { 201: EventSchema },
      summary: 'Create an event; honours Idempotency-Key',
      metadata: ownerRoute,
    },
    get: {
      method: 'GET',
      path: '/events/:eventId',
      pathParams: EventPathParamsSchema,
      responses: { 200: EventSchema },
      summary: 'Get one of the caller’s events',
      metadata: ownerRoute,
    },
    replace: {
      method: 'PUT',
      path: '/events/:eventId',
      pathParams: EventPathParamsSchema,
      body: EventReplaceSchema,
      responses: { 200: EventSchema },
      summary: 'Replace an event (capacity below the guest count answers 409); honours If-Match',
      metadata: ownerRoute,
    },
    update: {
      method: 'PATCH',
      path: '/events/:eventId',
      pathParams: EventPathParamsSchema,
      body: EventPatchSchema,
      responses: { 200: EventSchema },
      summary: 'Update an event with a JSON Merge Patch; honours If-Match',
      metadata: ownerRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/events/:eventId',
      pathParams: EventPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Delete an event and all of its guests; honours If-Match',
      metadata: ownerRoute,
    },
  },
  routerOptions,
);
