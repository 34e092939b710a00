import { type Transaction, type TransactionListQuery, TransactionWriteSchema } from '@lockstep/contract';
import {
  type DatabaseReader,
  deleteItemRow,
  insertItemRow,
  type Prisma,
  selectRows,
  updateItemRow,
} from '@lockstep/db';
import { notFound } from '../../core/api-error.js';
import type { ItemStore, OwnedKey, Versioned } from '../../core/item-operations.js';
import { keysetPage, type ListFilter, type Page, type PageRequest, type SortField } from '../../core/paging.js';

export type TransactionData = Pick<Transaction, 'amount' | 'currency' | 'description' | 'occurredAt'>;
type TransactionSortField = SortField<TransactionListQuery['sort']>;

type Row = Prisma.TransactionGetPayload<object>;
const columns: Record<keyof Row, true> = {
  id: true,
  ownerId: true,
  amount: true,
  currency: true,
  description: true,
  occurredAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
};

const toTransaction = (row: Row): Transaction => ({
  id: row.id,
  amount: Number(row.amount),
  currency: row.currency,
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
export async function listTransactions(
  db: DatabaseReader,
  ownerId: string,
  filter: ListFilter<TransactionListQuery>,
  page: PageRequest<TransactionSortField>,
): Promise<Page<Transaction>> {
  return keysetPage(
    page,
    (keyset) => selectRows<Row>(db, { from: 'transactions', columns, where: { ownerId, ...filter }, ...keyset }),
    toTransaction,
    { occurredAt: 'datetime', amount: 'bigint' },
  );
}

async function findTransaction(db: DatabaseReader, { ownerId, id }: OwnedKey): Promise<Versioned<Transaction>> {
  const [row] = await selectRows<Row>(db, { from: 'transactions', columns, where: { id, ownerId } });
  if (!row) throw notFound('Transaction', id);
  return { item: toTransaction(row), version: row.version };
}

export async function insertTransaction(
  db: DatabaseReader,
  ownerId: string,
  data: TransactionData,
): Promise<Transaction> {
  return toTransaction(
    await insertItemRow<Row>(db, {
      table: 'transactions',
      values: { ownerId, ...toColumns(data) },
      returning: columns,
    }),
  );
}

/** One of an owner's transactions, for the item routes; ids, owner and timestamps are the server's. */
export const transactionItems: ItemStore<OwnedKey, Transaction, TransactionData> = {
  find: findTransaction,
  update: async (db, { id }, data, version, current) => {
    const row = await updateItemRow<Row>(db, {
      table: 'transactions',
      values: toColumns(data),
      current: toColumns(current),
      returning: columns,
      id,
      version,
    });
    return row && toTransaction(row);
  },
  remove: (db, { id }, version) => deleteItemRow(db, { table: 'transactions', id, version }),
  writable: ({ amount, currency, description, occurredAt }) => ({ amount, currency, description, occurredAt }),
  schema: TransactionWriteSchema,
};
