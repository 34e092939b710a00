import type { usersContract } from '@lockstep/contract';
import { createItem, itemOperations } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { insertUser, listUsers, userItems } from './store.js';

/** Users: JSONPlaceholder's shape, public. */
export function userOperations(): Operations<typeof usersContract> {
  return {
    list: ({ query }, db) => listPage(query, (filter, page) => listUsers(db, filter, page)),
    create: async ({ body }, db) =>
      created('/users', await createItem(db, userItems.feed, {}, (tx) => insertUser(tx, body))),
    ...itemOperations(userItems, ({ params }: { params: { id: number } }) => params),
  };
}
