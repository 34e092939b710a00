import { AsyncLocalStorage } from 'node:async_hooks';
import { type Database, type DatabaseTransaction, retryingTransaction, shareOutsidePrisma } from '@lockstep/db';

const ambient = new AsyncLocalStorage<DatabaseTransaction>();

/**
 * The database as operations see it: inside `inTransaction`, every query they run, and every
 * `writeTransaction` they start, joins the surrounding transaction instead. That is how an
 * idempotent POST commits its writes and the record of its response together, with operations
 * that know nothing about idempotency.
 */
export function withAmbientTransactions(db: Database): Database {
  const operationsDb = new Proxy(db, {
    get(target, property) {
      const tx = ambient.getStore();
      if (tx) return Reflect.get(tx, property);
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  // Outside a transaction it reads as the database does (off Prisma's client, on SQLite).
  shareOutsidePrisma(operationsDb, db, () => ambient.getStore() === undefined);
  return operationsDb;
}

/**
 * Runs `work` in one transaction that the operations it calls join (see above), run again from
 * the start if it loses to a concurrent one (`retryingTransaction`).
 */
export function inTransaction<T>(db: Database, work: (tx: DatabaseTransaction) => Promise<T>): Promise<T> {
  return retryingTransaction(db, (tx) => ambient.run(tx, () => work(tx)));
}

/**
 * One read-check-write of operations that spans several rows (a guest checked against its
 * event's capacity, which claims the event's row first): a transaction of its own, or part of
 * the surrounding one when an idempotent request runs it.
 */
export function writeTransaction<T>(db: Database, work: (tx: DatabaseTransaction) => Promise<T>): Promise<T> {
  const tx = ambient.getStore();
  return tx ? work(tx) : retryingTransaction(db, work);
}
