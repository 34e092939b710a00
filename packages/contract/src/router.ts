import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { EmptyObjectSchema, IdPathParamsSchema } from './common.js';
import { ProblemSchema } from './problem.js';
import { TodoCreateSchema, TodoListQuerySchema, TodoPatchSchema, TodoReplaceSchema, TodoSchema } from './todos.js';
import { UserCreateSchema, UserListQuerySchema, UserPatchSchema, UserReplaceSchema, UserSchema } from './users.js';

const c = initContract();

/**
 * Error statuses any route may answer, each with an RFC 9457 problem body. Declaring them
 * once keeps every route's response union complete, so clients narrow on `status` exhaustively.
 */
const errorResponses = {
  400: ProblemSchema,
  404: ProblemSchema,
  405: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  422: ProblemSchema,
  500: ProblemSchema,
} as const;

const routerOptions = { strictStatusCodes: true, commonResponses: errorResponses } as const;

export const todosContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/todos',
      query: TodoListQuerySchema,
      responses: { 200: z.array(TodoSchema) },
      summary: 'List todos, filtered by equality on userId and completed',
    },
    listByUser: {
      method: 'GET',
      path: '/users/:id/todos',
      pathParams: IdPathParamsSchema,
      query: TodoListQuerySchema.omit({ userId: true }),
      responses: { 200: z.array(TodoSchema) },
      summary: "List one user's todos (404 if the user does not exist)",
    },
    create: {
      method: 'POST',
      path: '/todos',
      body: TodoCreateSchema,
      responses: { 201: TodoSchema },
      summary: 'Create a todo; answers 201 with a Location header',
    },
    get: {
      method: 'GET',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: TodoSchema },
      summary: 'Get one todo',
    },
    replace: {
      method: 'PUT',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: TodoReplaceSchema,
      responses: { 200: TodoSchema },
      summary: 'Replace a todo with a full representation',
    },
    update: {
      method: 'PATCH',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: TodoPatchSchema,
      responses: { 200: TodoSchema },
      summary: 'Update a todo with a JSON Merge Patch (RFC 7396)',
    },
    remove: {
      method: 'DELETE',
      path: '/todos/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Delete a todo; answers 200 with {}',
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
    },
    create: {
      method: 'POST',
      path: '/users',
      body: UserCreateSchema,
      responses: { 201: UserSchema },
      summary: 'Create a user; answers 201 with a Location header',
    },
    get: {
      method: 'GET',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: UserSchema },
      summary: 'Get one user',
    },
    replace: {
      method: 'PUT',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserReplaceSchema,
      responses: { 200: UserSchema },
      summary: 'Replace a user with a full representation',
    },
    update: {
      method: 'PATCH',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserPatchSchema,
      responses: { 200: UserSchema },
      summary: 'Update a user with a JSON Merge Patch (RFC 7396); null removes an optional member',
    },
    remove: {
      method: 'DELETE',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: "Delete a user and, with it, the user's todos; answers 200 with {}",
    },
  },
  routerOptions,
);

/** The whole API. Every other part of lockstep is derived from this object. */
export const contract = c.router({
  todos: todosContract,
  users: usersContract,
});

export type Contract = typeof contract;
