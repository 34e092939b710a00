import { TransactionWriteSchema, type transactionsContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { withoutId } from '../../core/field-errors.js';
import { patchResource } from '../../core/merge-patch.js';
import type { Operations } from '../../core/operation.js';
import { created, deleted, ok } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { readCheckWrite } from '../../core/read-check-write.js';
import {
  deleteTransaction,
  findTransaction,
  insertTransaction,
  listTransactions,
  updateTransaction,
  writableTransaction,
} from './store.js';

/** Transactions: each belongs to the key owner that recorded it, and only that owner sees it. */
export function transactionOperations(db: Database): Operations<typeof transactionsContract> {
  return {
    list: ({ query, caller }) => listPage(query, (filter, page) => listTransactions(db, caller.ownerId, filter, page)),
    create: async ({ body, caller }) => created('/transactions', await insertTransaction(db, caller.ownerId, body)),
    get: async ({ params, caller }) => ok(await findTransaction(db, caller.ownerId, params.id)),
    replace: async ({ params, body, caller, ifMatch }) => {
      const data = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findTransaction(tx, caller.ownerId, params.id),
          (tx) => updateTransaction(tx, params.id, data),
        ),
      );
    },
    update: async ({ params, body, caller, ifMatch }) => {
      const patch = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findTransaction(tx, caller.ownerId, params.id),
          (tx, current) =>
            updateTransaction(
              tx,
              params.id,
              patchResource(TransactionWriteSchema, writableTransaction(current), patch),
            ),
        ),
      );
    },
    remove: async ({ params, caller, ifMatch }) => {
      await readCheckWrite(
        db,
        ifMatch,
        (tx) => findTransaction(tx, caller.ownerId, params.id),
        (tx) => deleteTransaction(tx, params.id),
      );
      return deleted();
    },
  };
}
