import type { Transaction } from '@lockstep/contract';
import type { Database, DatabaseTransaction, Prisma } from '@lockstep/db';
import { notFound } from '../../core/api-error.js';
import { type CursorValue, keysetQuery, type Page, type PageRequest, toPage } from '../../core/paging.js';

export type TransactionData = Pick<Transaction, 'amount' | 'currency' | 'description' | 'occurredAt'>;
export type TransactionSortField = 'id' | 'occurredAt' | 'amount';

type Reader = Database | DatabaseTransaction;
type Row = Prisma.TransactionGetPayload<object>;

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

const toColumnValue = (field: TransactionSortField, value: CursorValue) =>
  field === 'occurredAt' ? new Date(String(value)) : field === 'amount' ? BigInt(value) : value;

/** The writable members: ids, owner and timestamps are the server's. */
export const writableTransaction = ({ amount, currency, description, occurredAt }: Transaction): TransactionData => ({
  amount,
  currency,
  description,
  occurredAt,
});

/** Always scoped to one owner: another owner's rows are never read or written. */
export async function listTransactions(
  db: Reader,
  ownerId: string,
  filter: { currency?: string },
  page: PageRequest<TransactionSortField>,
): Promise<Page<Transaction>> {
  const { where, orderBy, take } = keysetQuery(page, toColumnValue);
  const rows = await db.transaction.findMany({
    where: { ownerId, ...filter, ...(where as Prisma.TransactionWhereInput) },
    orderBy: orderBy as Prisma.TransactionOrderByWithRelationInput[],
    take,
  });
  return toPage(rows.map(toTransaction), page, (item) => item[page.sort.field]);
}

export async function findTransaction(db: Reader, ownerId: string, id: number): Promise<Transaction> {
  const row = await db.transaction.findFirst({ where: { id, ownerId } });
  if (!row) throw notFound('Transaction', id);
  return toTransaction(row);
}

export async function insertTransaction(db: Reader, ownerId: string, data: TransactionData): Promise<Transaction> {
  return toTransaction(await db.transaction.create({ data: { ownerId, ...toColumns(data) } }));
}

/** Only after `findTransaction` found the row for its owner, in the same transaction. */
export async function updateTransaction(tx: DatabaseTransaction, id: number, data: TransactionData) {
  return toTransaction(await tx.transaction.update({ where: { id }, data: toColumns(data) }));
}

export async function deleteTransaction(tx: DatabaseTransaction, id: number): Promise<void> {
  await tx.transaction.delete({ where: { id } });
}
