import type { Transaction, TransactionPatch, TransactionReplace, TransactionWrite } from '@lockstep/contract';
import type { Page, PageRequest } from '../repositories/keyset.js';
import type { TransactionRepository, TransactionSortField } from '../repositories/transactions.js';
import { NotFoundError } from './errors.js';
import { enforce, type Precondition } from './preconditions.js';
import { assertSameId } from './validation.js';

/** The rules for transactions: each belongs to one owner, and only that owner sees it. */
export class TransactionService {
  constructor(private readonly transactions: TransactionRepository) {}

  list(
    ownerId: string,
    filter: { currency?: string },
    page: PageRequest<TransactionSortField>,
  ): Promise<Page<Transaction>> {
    return this.transactions.list(ownerId, filter, page);
  }

  async get(ownerId: string, id: number): Promise<Transaction> {
    return (await this.transactions.find(ownerId, id)) ?? notFound(id);
  }

  create(ownerId: string, input: TransactionWrite): Promise<Transaction> {
    return this.transactions.create(ownerId, input);
  }

  async replace(ownerId: string, id: number, input: TransactionReplace, ifMatch?: Precondition<Transaction>) {
    assertSameId(input.id, id);
    const { id: _ignored, ...data } = input;
    const updated = await this.transactions.modify(ownerId, id, (current) => {
      enforce(ifMatch, current);
      return data;
    });
    return updated ?? notFound(id);
  }

  async update(ownerId: string, id: number, patch: TransactionPatch, ifMatch?: Precondition<Transaction>) {
    assertSameId(patch.id, id);
    const { id: _ignored, ...changes } = patch;
    const updated = await this.transactions.modify(ownerId, id, (current) => {
      enforce(ifMatch, current);
      return { ...current, ...changes };
    });
    return updated ?? notFound(id);
  }

  async remove(ownerId: string, id: number, ifMatch?: Precondition<Transaction>): Promise<void> {
    if (!(await this.transactions.delete(ownerId, id, (current) => enforce(ifMatch, current)))) notFound(id);
  }
}

function notFound(id: number): never {
  throw new NotFoundError('Transaction', id);
}
