import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, DatabaseTransaction } from '@lockstep/db';

const ambient = new AsyncLocalStorage<DatabaseTransaction>();

/**
 * The database as operations see it: inside `inTransaction`, every query and every
 * `$transaction` they start joins the surrounding transaction instead. That is how an
 * idempotent POST commits its writes and the record of its response together, with operations
 * that know nothing about idempotency.
 */
export function withAmbientTransactions(db: Database): Database {
  return new Proxy(db, {
    get(target, property) {
      const tx = ambient.getStore();
      if (tx) {
        if (property === '$transaction') {
          return (run: (tx: DatabaseTransaction) => Promise<unknown>) => run(tx);
        }
        return Reflect.get(tx, property);
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Runs `work` in one transaction that the operations it calls join (see above). */
export function inTransaction<T>(db: Database, work: (tx: DatabaseTransaction) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => ambient.run(tx, () => work(tx)));
}
