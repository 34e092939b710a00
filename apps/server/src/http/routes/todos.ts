import { todosContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { TodoService } from '../../services/todos.js';

const s = initServer();

/** REST front door for todos: unpack the request, call the service, shape the response. */
export function todosRouter(todos: TodoService) {
  return s.router(todosContract, {
    list: async ({ query: { limit, ...filter } }) => ({ status: 200, body: await todos.list(filter, limit) }),
    listByUser: async ({ params, query: { limit, ...filter } }) => ({
      status: 200,
      body: await todos.listForUser(params.id, filter, limit),
    }),
    create: async ({ body, res }) => {
      const todo = await todos.create(body);
      res.location(`/todos/${todo.id}`);
      return { status: 201, body: todo };
    },
    get: async ({ params }) => ({ status: 200, body: await todos.get(params.id) }),
    replace: async ({ params, body }) => ({ status: 200, body: await todos.replace(params.id, body) }),
    update: async ({ params, body }) => ({ status: 200, body: await todos.update(params.id, body) }),
    remove: async ({ params }) => {
      await todos.remove(params.id);
      return { status: 200, body: {} };
    },
  });
}
