import { todosContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { TodoService } from '../../services/todos.js';
import { listResponse } from '../paging.js';
import { ifMatchOf } from '../preconditions.js';

const s = initServer();

/** REST front door for todos: unpack the request, call the service, shape the response. */
export function todosRouter(todos: TodoService) {
  return s.router(todosContract, {
    list: ({ query, req, res }) => listResponse(req, res, query, (filter, page) => todos.list(filter, page)),
    listByUser: ({ params, query, req, res }) =>
      listResponse(req, res, query, (filter, page) => todos.listForUser(params.id, filter, page)),
    create: async ({ body, res }) => {
      const todo = await todos.create(body);
      res.location(`/todos/${todo.id}`);
      return { status: 201, body: todo };
    },
    get: async ({ params }) => ({ status: 200, body: await todos.get(params.id) }),
    replace: async ({ params, body, req }) => ({
      status: 200,
      body: await todos.replace(params.id, body, ifMatchOf(req)),
    }),
    update: async ({ params, body, req }) => ({
      status: 200,
      body: await todos.update(params.id, body, ifMatchOf(req)),
    }),
    remove: async ({ params, req }) => {
      await todos.remove(params.id, ifMatchOf(req));
      return { status: 200, body: {} };
    },
  });
}
