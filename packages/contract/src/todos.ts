import { z } from 'zod';
import {
  BooleanQuerySchema,
  CursorQuerySchema,
  EmptyObjectSchema,
  IdPathParamsSchema,
  IdSchema,
  LimitQuerySchema,
  PathIdSchema,
  RepeatedIdSchema,
  referenceTo,
  sortQuery,
} from './common.js';
import { c, publicRoute, routerOptions } from './routes.js';

/** A todo exactly as JSONPlaceholder serves it: `{ userId, id, title, completed }`. */
export const TodoSchema = z.object({
  userId: referenceTo('users', 'The id of an existing user; any other id answers 422.'),
  id: IdSchema,
  title: z.string().min(1).max(500),
  completed: z.boolean(),
});

/** POST body. `id` is server-assigned, so sending one is a mass-assignment attempt (422). */
export const TodoCreateSchema = TodoSchema.omit({ id: true })
  .extend({ completed: TodoSchema.shape.completed.default(false) })
  .strict();

/**
 * PUT body: the full representation. `id` may be repeated (clients often send back what they
 * read) but must equal the id in the path; the server checks that.
 */
export const TodoReplaceSchema = TodoCreateSchema.extend({ id: RepeatedIdSchema }).strict();

/**
 * PATCH body (JSON Merge Patch, RFC 7396). Every todo field is required, so `null` (which
 * would remove a member) is rejected rather than accepted and then failing later.
 */
export const TodoPatchSchema = TodoSchema.partial().extend({ id: RepeatedIdSchema }).strict();

export const TodoListQuerySchema = z
  .object({
    userId: PathIdSchema.optional(),
    completed: BooleanQuerySchema.optional(),
    sort: sortQuery(['id', 'title']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export type Todo = z.infer<typeof TodoSchema>;
export type TodoCreate = z.infer<typeof TodoCreateSchema>;
export type TodoReplace = z.infer<typeof TodoReplaceSchema>;
export type TodoPatch = z.infer<typeof TodoPatchSchema>;
export type TodoListQuery = z.infer<typeof TodoListQuerySchema>;

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
