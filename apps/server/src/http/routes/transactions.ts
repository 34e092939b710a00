import { transactionsContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { TransactionService } from '../../services/transactions.js';
import { listResponse } from '../paging.js';
import { ifMatchOf } from '../preconditions.js';
import { ownerOf } from '../principal.js';

const s = initServer();

/** REST front door for the caller's transactions. */
export function transactionsRouter(transactions: TransactionService) {
  return s.router(transactionsContract, {
    list: ({ query, req, res }) =>
      listResponse(req, res, query, (filter, page) => transactions.list(ownerOf(res), filter, page)),
    create: async ({ body, res }) => {
      const created = await transactions.create(ownerOf(res), body);
      res.location(`/transactions/${created.id}`);
      return { status: 201, body: created };
    },
    get: async ({ params, res }) => ({ status: 200, body: await transactions.get(ownerOf(res), params.id) }),
    replace: async ({ params, body, req, res }) => ({
      status: 200,
      body: await transactions.replace(ownerOf(res), params.id, body, ifMatchOf(req)),
    }),
    update: async ({ params, body, req, res }) => ({
      status: 200,
      body: await transactions.update(ownerOf(res), params.id, body, ifMatchOf(req)),
    }),
    remove: async ({ params, req, res }) => {
      await transactions.remove(ownerOf(res), params.id, ifMatchOf(req));
      return { status: 200, body: {} };
    },
  });
}
