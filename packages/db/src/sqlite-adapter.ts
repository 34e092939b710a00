import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { cacheStatements } from './statement-cache.js';
import { WriterStatements } from './writer-statements.js';

export interface SqliteAdapterHooks {
  /** Prisma connected: single statements may also run on the connection (`WriterStatements`). */
  onConnect(writer: WriterStatements): void;
  /** Prisma disposed of the connection (`$disconnect`). */
  onDispose(): void;
}

/**
 * Prisma's better-sqlite3 adapter as lockstep runs it, on its one connection:
 *
 * - Statements are prepared once per SQL text (`cacheStatements`).
 * - A statement outside a transaction waits while one is open. The adapter runs transactions one
 *   at a time but lets other statements onto the same connection meanwhile, where they become
 *   part of the open transaction: a write acknowledged to one request was undone when another
 *   request's transaction rolled back, and a read could see a write that was never committed.
 *   `db.test.ts` holds both cases.
 * - `hooks.onConnect` is handed the connection's `WriterStatements`, which wait as the adapter's
 *   own statements do; `hooks.onDispose` runs when Prisma disposes of the connection.
 *
 * The adapter keeps its connection in `client` (version pinned; `db.test.ts` fails if that
 * changes).
 */
export function sqliteAdapter(url: string, hooks: SqliteAdapterHooks): SqlDriverAdapterFactory {
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
      const { adapter: exclusive, outside } = exclusiveTransactions(adapter, hooks.onDispose);
      hooks.onConnect(new WriterStatements(client, outside));
      return exclusive;
    },
  };
}

/** Runs `run` once no transaction is open on the connection, with no turn of the event loop between. */
export type Outside = <T>(run: () => T | PromiseLike<T>) => Promise<T>;

function exclusiveTransactions(adapter: SqlDriverAdapter, onDispose: () => void) {
  /** Settles when the open transaction ends; undefined while none is open. */
  let open: Promise<void> | undefined;
  // The last check of `open` and `run()` happen in one go: a transaction that starts in between
  // would otherwise take the statement in.
  const outside: Outside = async (run) => {
    while (open) await open;
    return run();
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  const dispose = adapter.dispose.bind(adapter);
  const exclusive: SqlDriverAdapter = Object.assign(adapter, {
    queryRaw: (query: Parameters<typeof queryRaw>[0]) => outside(() => queryRaw(query)),
    executeRaw: (query: Parameters<typeof executeRaw>[0]) => outside(() => executeRaw(query)),
    executeScript: (script: string) => outside(() => executeScript(script)),
    startTransaction: async (isolationLevel?: Parameters<typeof startTransaction>[0]): Promise<Transaction> => {
      // Claimed in the turn of the check (`outside`), so two transactions starting together take turns.
      const finish = await outside(() => {
        let end = () => {};
        open = new Promise<void>((resolve) => {
          end = resolve;
        });
        return () => {
          open = undefined;
          end();
        };
      });
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
  return { adapter: exclusive, outside };
}
