import { TodoCreateSchema, type todosContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { withoutId } from '../../core/field-errors.js';
import { patchResource } from '../../core/merge-patch.js';
import type { Operations } from '../../core/operation.js';
import { created, deleted, ok } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { readCheckWrite } from '../../core/read-check-write.js';
import { findUser } from '../users/store.js';
import { deleteTodo, findTodo, insertTodo, listTodos, updateTodo, writableTodo } from './store.js';

/** Todos: JSONPlaceholder's shape, public, each belonging to a user. */
export function todoOperations(db: Database): Operations<typeof todosContract> {
  return {
    list: ({ query }) => listPage(query, (filter, page) => listTodos(db, filter, page)),
    /** A missing user is a 404 rather than an empty list, so a typo in the id is visible. */
    listByUser: async ({ params, query }) => {
      await findUser(db, params.id);
      return listPage(query, (filter, page) => listTodos(db, { ...filter, userId: params.id }, page));
    },
    create: async ({ body }) => created('/todos', await insertTodo(db, body)),
    get: async ({ params }) => ok(await findTodo(db, params.id)),
    replace: async ({ params, body, ifMatch }) => {
      const data = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findTodo(tx, params.id),
          (tx) => updateTodo(tx, params.id, data),
        ),
      );
    },
    update: async ({ params, body, ifMatch }) => {
      const patch = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findTodo(tx, params.id),
          (tx, current) => updateTodo(tx, params.id, patchResource(TodoCreateSchema, writableTodo(current), patch)),
        ),
      );
    },
    remove: async ({ params, ifMatch }) => {
      await readCheckWrite(
        db,
        ifMatch,
        (tx) => findTodo(tx, params.id),
        (tx) => deleteTodo(tx, params.id),
      );
      return deleted();
    },
  };
}
