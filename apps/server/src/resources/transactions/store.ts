import {
  CurrencySchema,
  type Transaction,
  type TransactionListQuery,
  TransactionWriteSchema,
} from '@lockstep/contract';
import type { DataAccess, DB, Queries } from '@lockstep/db';
import type { Selectable } from 'kysely';
import { type ItemStore, type OwnedKey, type Versioned, versionedOrNotFound } from '../../core/item-operations.js';
import { changedColumns, deleteItem, nextVersionOf, stamped } from '../../core/item-rows.js';
import {
  equalities,
  keysetPage,
  type ListFilter,
  type Page,
  type PageRequest,
  type SortField,
} from '../../core/paging.js';

export type TransactionData = Pick<Transaction, 'amount' | 'currency' | 'description' | 'occurredAt'>;
type TransactionSortField = SortField<TransactionListQuery['sort']>;

const columns = ['id', 'amount', 'currency', 'description', 'occurredAt', 'createdAt', 'updatedAt'] as const;
const selectTransactions = (db: Queries) => db.selectFrom('transactions').select(columns);
type Row = Pick<Selectable<DB['transactions']>, (typeof columns)[number]>;

const toTransaction = (row: Row): Transaction => ({
  id: row.id,
  amount: Number(row.amount),
  // The column is text; every code in it came through the contract's enum, which says so to the types.
  currency: CurrencySchema.parse(row.currency),
  description: row.description,
  occurredAt: row.occurredAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const toColumns = (data: TransactionData) => ({
  amount: BigInt(data.amount),
  currency: data.currency,
  description: data.description,
  occurredAt: new Date(data.occurredAt),
});

/** Always scoped to one owner: another owner's rows are never read or written. */
export function listTransactions(
  db: DataAccess,
  ownerId: string,
  filter: ListFilter<TransactionListQuery>,
  page: PageRequest<TransactionSortField>,
): Promise<Page<Transaction>> {
  const query = selectTransactions(db.read).where((eb) => eb.and({ ownerId, ...equalities(filter) }));
  return keysetPage(query, page, toTransaction, { occurredAt: 'datetime', amount: 'bigint' });
}

async function findTransaction(db: DataAccess, { ownerId, id }: OwnedKey): Promise<Versioned<Transaction>> {
  const row = await selectTransactions(db.read)
    .select('version')
    .where('id', '=', id)
    .where('ownerId', '=', ownerId)
    .executeTakeFirst();
  return versionedOrNotFound(row, toTransaction, 'Transaction', id);
}

export async function insertTransaction(db: DataAccess, ownerId: string, data: TransactionData): Promise<Transaction> {
  return toTransaction(
    await db.write
      .insertInto('transactions')
      .values(stamped({ ownerId, ...toColumns(data) }))
      .returning(columns)
      .executeTakeFirstOrThrow(),
  );
}

/** One of an owner's transactions, for the item routes; ids, owner and timestamps are the server's. */
export const transactionItems: ItemStore<OwnedKey, Transaction, TransactionData> = {
  find: findTransaction,
  update: async (db, { id }, data, version, current) => {
    const row = await db.write
      .updateTable('transactions')
      .set(nextVersionOf(changedColumns(toColumns(data), toColumns(current))))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(columns)
      .executeTakeFirst();
    return row && toTransaction(row);
  },
  remove: (db, { id }, version) => deleteItem(db, 'transactions', id, version),
  feed: { resource: 'transactions' },
  writable: ({ amount, currency, description, occurredAt }) => ({ amount, currency, description, occurredAt }),
  schema: TransactionWriteSchema,
};
