import type { Database, DatabaseTransaction } from '@lockstep/db';
import { checkIfMatch, type IfMatch } from './preconditions.js';

/**
 * The one shape of every PUT, PATCH and DELETE: read the current resource (scoped to its owner
 * by `read`, which throws 404 when there is none), check the `If-Match` precondition against it,
 * then write — all in one transaction, so no concurrent write slips between the check and the
 * write. A 404 wins over a 412: an unknown id is not a stale one.
 */
export function readCheckWrite<Current, Result>(
  db: Database,
  ifMatch: IfMatch | undefined,
  read: (tx: DatabaseTransaction) => Promise<Current>,
  write: (tx: DatabaseTransaction, current: Current) => Promise<Result>,
): Promise<Result> {
  return db.$transaction(async (tx) => {
    const current = await read(tx);
    checkIfMatch(ifMatch, current);
    return write(tx, current);
  });
}
