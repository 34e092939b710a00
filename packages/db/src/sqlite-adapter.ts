import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { cacheStatements } from './statement-cache.js';

/**
 * Prisma's better-sqlite3 adapter as lockstep runs it, on its one connection:
 *
 * - Statements are prepared once per SQL text (`cacheStatements`).
 * - A statement outside a transaction waits while one is open. The adapter runs transactions one
 *   at a time but lets other statements onto the same connection meanwhile, where they become
 *   part of the open transaction: a write acknowledged to one request was undone when another
 *   request's transaction rolled back, and a read could see a write that was never committed.
 *   `db.test.ts` holds both cases.
 * - `onDispose` runs when Prisma disposes of the connection (`$disconnect`).
 *
 * The adapter keeps its connection in `client` (version pinned; `db.test.ts` fails if that
 * changes).
 */
export function sqliteAdapter(url: string, onDispose: () => void): SqlDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => {
      const adapter = await factory.connect();
      const { client } = adapter as unknown as { client?: BetterSqlite3.Database };
      if (!client || typeof client.prepare !== 'function') {
        throw new Error('@prisma/adapter-better-sqlite3 no longer keeps its connection in `client`');
      }
      cacheStatements(client);
      return exclusiveTransactions(adapter, onDispose);
    },
  };
}

function exclusiveTransactions(adapter: SqlDriverAdapter, onDispose: () => void): SqlDriverAdapter {
  /** Settles when the open transaction ends; undefined while none is open. */
  let open: Promise<void> | undefined;
  const outsideTransactions = async () => {
    while (open) await open;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  const dispose = adapter.dispose.bind(adapter);
  return Object.assign(adapter, {
    queryRaw: async (query: Parameters<typeof queryRaw>[0]) => {
      await outsideTransactions();
      return queryRaw(query);
    },
    executeRaw: async (query: Parameters<typeof executeRaw>[0]) => {
      await outsideTransactions();
      return executeRaw(query);
    },
    executeScript: async (script: string) => {
      await outsideTransactions();
      return executeScript(script);
    },
    startTransaction: async (isolationLevel?: Parameters<typeof startTransaction>[0]): Promise<Transaction> => {
      await outsideTransactions();
      let end = () => {};
      open = new Promise<void>((resolve) => {
        end = resolve;
      });
      const finish = () => {
        open = undefined;
        end();
      };
      try {
        const transaction = await startTransaction(isolationLevel);
        const commit = transaction.commit.bind(transaction);
        const rollback = transaction.rollback.bind(transaction);
        return Object.assign(transaction, {
          commit: () => commit().finally(finish),
          rollback: () => rollback().finally(finish),
        });
      } catch (error) {
        finish();
        throw error;
      }
    },
    dispose: async () => {
      onDispose();
      await dispose();
    },
  });
}
