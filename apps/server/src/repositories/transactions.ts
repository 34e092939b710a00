import type { Transaction } from '@lockstep/contract';
import type { Database, Prisma } from '@lockstep/db';
import { type CursorValue, keysetQuery, type Page, type PageRequest, toPage } from './keyset.js';

export type TransactionData = Pick<Transaction, 'amount' | 'currency' | 'description' | 'occurredAt'>;
export type TransactionSortField = 'id' | 'occurredAt' | 'amount';

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

/** Transactions, always scoped to one owner: another owner's rows are never read or written. */
export class TransactionRepository {
  constructor(private readonly db: Database) {}

  async list(
    ownerId: string,
    filter: { currency?: string },
    page: PageRequest<TransactionSortField>,
  ): Promise<Page<Transaction>> {
    const { where, orderBy, take } = keysetQuery(page, toColumnValue);
    const rows = await this.db.transaction.findMany({
      where: { ownerId, ...filter, ...(where as Prisma.TransactionWhereInput) },
      orderBy: orderBy as Prisma.TransactionOrderByWithRelationInput[],
      take,
    });
    return toPage(rows.map(toTransaction), page, (item) => item[page.sort.field]);
  }

  async find(ownerId: string, id: number): Promise<Transaction | null> {
    const row = await this.db.transaction.findFirst({ where: { id, ownerId } });
    return row && toTransaction(row);
  }

  async create(ownerId: string, data: TransactionData): Promise<Transaction> {
    return toTransaction(await this.db.transaction.create({ data: { ownerId, ...toColumns(data) } }));
  }

  /** Read, change and write in one transaction; `null` when the owner has no such row. */
  async modify(
    ownerId: string,
    id: number,
    change: (current: Transaction) => TransactionData,
  ): Promise<Transaction | null> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.transaction.findFirst({ where: { id, ownerId } });
      if (!current) return null;
      const next = change(toTransaction(current));
      return toTransaction(await tx.transaction.update({ where: { id }, data: toColumns(next) }));
    });
  }

  /** Deletes after `check` accepts the current row (it throws to refuse); false when absent. */
  async delete(ownerId: string, id: number, check: (current: Transaction) => void = () => {}): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.transaction.findFirst({ where: { id, ownerId } });
      if (!current) return false;
      check(toTransaction(current));
      await tx.transaction.delete({ where: { id } });
      return true;
    });
  }
}
