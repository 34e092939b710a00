import type { todosContract } from '@lockstep/contract';
import { createItem, itemOperations } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { findUser } from '../users/store.js';
import { insertTodo, listTodos, todoItems } from './store.js';

/** Todos: JSONPlaceholder's shape, public, each belonging to a user. */
export function todoOperations(): Operations<typeof todosContract> {
  return {
    list: ({ query }, db) => listPage(query, (filter, page) => listTodos(db, filter, page)),
    /** A missing user is a 404 rather than an empty list, so a typo in the id is visible. */
    listByUser: async ({ params, query }, db) => {
      await findUser(db, params);
      return listPage(query, (filter, page) => listTodos(db, { ...filter, userId: params.id }, page));
    },
    create: async ({ body }, db) =>
      created('/todos', await createItem(db, todoItems.feed, {}, (tx) => insertTodo(tx, body))),
    ...itemOperations(todoItems, ({ params }: { params: { id: number } }) => params),
  };
}
