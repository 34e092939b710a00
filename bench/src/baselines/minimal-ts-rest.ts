/**
 * BASELINE, not part of the product: a minimal ts-rest + Express + Prisma app, the way their
 * docs show one, for the benchmark's routes of the lockstep contract: ts-rest validates the
 * request, a handler asks Prisma's client (generated from lockstep's schema by
 * scripts/prisma-client.mjs, on Prisma's better-sqlite3 adapter), `res.json` answers. No logging, auth, ETags, problem details, idempotency or response checks. What a
 * team gets by wiring the same libraries by hand; benchmarks divide by its figures too.
 *
 *   DATABASE_FILE=/path/lockstep.db PORT=3002 node bench/dist/baselines/minimal-ts-rest.js
 */
import { CurrencySchema, contract } from '@lockstep/contract';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { createExpressEndpoints, initServer } from '@ts-rest/express';
import express from 'express';
import { PrismaClient } from '../generated/prisma/client.js';

const file = process.env.DATABASE_FILE;
if (!file) throw new Error('DATABASE_FILE is required');
const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });

const routes = {
  todos: {
    get: contract.todos.get,
    list: contract.todos.list,
    create: contract.todos.create,
    update: contract.todos.update,
  },
  transactions: { get: contract.transactions.get },
};

const todoFields = { userId: true, id: true, title: true, completed: true } as const;
const notFound = { type: 'about:blank', title: 'Not Found', status: 404 };

const s = initServer();
const router = s.router(routes, {
  todos: {
    get: async ({ params }) => {
      const todo = await prisma.todo.findUnique({ where: { id: params.id }, select: todoFields });
      return todo ? { status: 200, body: todo } : { status: 404, body: notFound };
    },
    list: async ({ query }) => ({
      status: 200,
      body: await prisma.todo.findMany({ orderBy: { id: 'asc' }, take: query.limit, select: todoFields }),
    }),
    create: async ({ body }) => ({ status: 201, body: await prisma.todo.create({ data: body, select: todoFields }) }),
    update: async ({ params, body }) => ({
      status: 200,
      body: await prisma.todo.update({ where: { id: params.id }, data: body, select: todoFields }),
    }),
  },
  transactions: {
    get: async ({ params }) => {
      const row = await prisma.transaction.findUnique({ where: { id: params.id } });
      if (!row) return { status: 404, body: notFound };
      return {
        status: 200,
        body: {
          id: row.id,
          amount: Number(row.amount),
          currency: CurrencySchema.parse(row.currency),
          description: row.description,
          occurredAt: row.occurredAt.toISOString(),
          createdAt: row.createdAt.toISOString(),
          updatedAt: row.updatedAt.toISOString(),
        },
      };
    },
  },
});

const app = express();
app.use(express.json());
createExpressEndpoints(routes, router, app);
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = app.listen(Number(process.env.PORT ?? 3002), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void prisma.$disconnect()));
