import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { EmptyObjectSchema, IdPathParamsSchema } from './common.js';
import {
  EventListQuerySchema,
  EventPatchSchema,
  EventPathParamsSchema,
  EventReplaceSchema,
  EventSchema,
  EventWriteSchema,
  GuestListQuerySchema,
  GuestPatchSchema,
  GuestPathParamsSchema,
  GuestReplaceSchema,
  GuestSchema,
  GuestWriteSchema,
} from './events.js';
import { ProblemSchema } from './problem.js';
import { TodoCreateSchema, TodoListQuerySchema, TodoPatchSchema, TodoReplaceSchema, TodoSchema } from './todos.js';
import {
  TransactionListQuerySchema,
  TransactionPatchSchema,
  TransactionReplaceSchema,
  TransactionSchema,
  TransactionWriteSchema,
} from './transactions.js';
import { UserCreateSchema, UserListQuerySchema, UserPatchSchema, UserReplaceSchema, UserSchema } from './users.js';

const c = initContract();

/**
 * Error statuses any route may answer, each with an RFC 9457 problem body. Declaring them
 * once keeps every route's response union complete, so clients narrow on `status` exhaustively.
 */
const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  405: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  422: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
} as const;

const routerOptions = { strictStatusCodes: true, commonResponses: errorResponses } as const;

/**
 * Who may call a route. `owner`: an API key is required (scope `read` for GET, `write`
 * otherwise) and only the key owner's rows exist. `public`: anyone reads; writes need a `write`
 * key only in production, so tutorial code keeps working in development.
 */
export type Access = 'public' | 'owner';
const publicRoute = { access: 'public' } as const satisfies RouteMetadata;
const ownerRoute = { access: 'owner' } as const satisfies RouteMetadata;
export interface RouteMetadata {
  access: Access;
}

export const todosContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/todos',
      query: TodoListQuerySchema,
      responses: { 200: z.array(TodoSchema) },
      summary: 'List todos, filtered by equality on userId and completed',
      metadata: publicRoute,
    },
    listByUser: {
      method: 'GET',
      path: '/users/:id/todos',
      pathParams: IdPathParamsSchema,
      query: TodoListQuerySchema.omit({ userId: true }),
      responses: { 200: z.array(TodoSchema) },
      summary: "List one user's todos (404 if the user does not exist)",
      metadata: publicRoute,
    },
    create: {
      method: 'POST',
      path: '/todos',
      body: TodoCreateSchema,
      responses: { 201: TodoSchema },
      summary: 'Create a todo; answers 201 with a Location header',
      metadata: publicRoute,
    },
    get: {
      method: 'GET',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: TodoSchema },
      summary: 'Get one todo',
      metadata: publicRoute,
    },
    replace: {
      method: 'PUT',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: TodoReplaceSchema,
      responses: { 200: TodoSchema },
      summary: 'Replace a todo with a full representation',
      metadata: publicRoute,
    },
    update: {
      method: 'PATCH',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: TodoPatchSchema,
      responses: { 200: TodoSchema },
      summary: 'Update a todo with a JSON Merge Patch (RFC 7396)',
      metadata: publicRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Delete a todo; answers 200 with {}',
      metadata: publicRoute,
    },
  },
  routerOptions,
);

export const usersContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/users',
      query: UserListQuerySchema,
      responses: { 200: z.array(UserSchema) },
      summary: 'List users',
      metadata: publicRoute,
    },
    create: {
      method: 'POST',
      path: '/users',
      body: UserCreateSchema,
      responses: { 201: UserSchema },
      summary: 'Create a user; answers 201 with a Location header',
      metadata: publicRoute,
    },
    get: {
      method: 'GET',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: UserSchema },
      summary: 'Get one user',
      metadata: publicRoute,
    },
    replace: {
      method: 'PUT',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserReplaceSchema,
      responses: { 200: UserSchema },
      summary: 'Replace a user with a full representation',
      metadata: publicRoute,
    },
    update: {
      method: 'PATCH',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserPatchSchema,
      responses: { 200: UserSchema },
      summary: 'Update a user with a JSON Merge Patch (RFC 7396); null removes an optional member',
      metadata: publicRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: "Delete a user and, with it, the user's todos; answers 200 with {}",
      metadata: publicRoute,
    },
  },
  routerOptions,
);

export const transactionsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/transactions',
      query: TransactionListQuerySchema,
      responses: { 200: z.array(TransactionSchema) },
      summary: "List the caller's transactions; filter by currency, sort by id, occurredAt or amount",
      metadata: ownerRoute,
    },
    create: {
      method: 'POST',
      path: '/transactions',
      body: TransactionWriteSchema,
      responses: { 201: TransactionSchema },
      summary: 'Record a transaction; honours Idempotency-Key',
      metadata: ownerRoute,
    },
    get: {
      method: 'GET',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: TransactionSchema },
      summary: 'Get one of the caller’s transactions',
      metadata: ownerRoute,
    },
    replace: {
      method: 'PUT',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: TransactionReplaceSchema,
      responses: { 200: TransactionSchema },
      summary: 'Replace a transaction; honours If-Match',
      metadata: ownerRoute,
    },
    update: {
      method: 'PATCH',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: TransactionPatchSchema,
      responses: { 200: TransactionSchema },
      summary: 'Update a transaction with a JSON Merge Patch; honours If-Match',
      metadata: ownerRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Delete a transaction; honours If-Match',
      metadata: ownerRoute,
    },
  },
  routerOptions,
);

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

/** The whole API. Every other part of lockstep is derived from this object. */
export const contract = c.router({
  todos: todosContract,
  users: usersContract,
  transactions: transactionsContract,
  events: eventsContract,
  guests: guestsContract,
});

export type Contract = typeof contract;
