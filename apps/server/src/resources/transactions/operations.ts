import type { transactionsContract } from '@lockstep/contract';
import { createItem, itemOperations, ownedKey } from '../../core/item-operations.js';
import type { Operations } from '../../core/operation.js';
import { created } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { insertTransaction, listTransactions, transactionItems } from './store.js';

/** Transactions: each belongs to the key owner that recorded it, and only that owner sees it. */
export function transactionOperations(): Operations<typeof transactionsContract> {
  return {
    list: ({ query, caller }, db) =>
      listPage(query, (filter, page) => listTransactions(db, caller.ownerId, filter, page)),
    create: async ({ body, caller }, db) =>
      created(
        '/transactions',
        await createItem(db, transactionItems.feed, caller, (tx) => insertTransaction(tx, caller.ownerId, body)),
      ),
    ...itemOperations(transactionItems, ownedKey),
  };
}
