import { type Database, type DatabaseReader, type DatabaseTransaction, lockForUpdate } from '@lockstep/db';
import type { z } from 'zod';
import { writeTransaction } from './ambient-transaction.js';
import { withoutId } from './field-errors.js';
import { patchResource } from './merge-patch.js';
import { deleted, ok } from './outcomes.js';
import { checkIfMatch, type IfMatch } from './preconditions.js';

/** Where one resource lives: its id, and whatever scopes it (the owner, the parent event). */
export interface ItemKey {
  id: number;
}

/** The key of an owned item: only its owner's key finds it. */
export interface OwnedKey extends ItemKey {
  ownerId: string;
}

/** An owned item's key from its route's input: the path's id and the authenticated caller. */
export const ownedKey = ({ params, caller }: { params: { id: number }; caller: { ownerId: string } }): OwnedKey => ({
  id: params.id,
  ownerId: caller.ownerId,
});

/**
 * A resource's data access for one item, in the terms every item route needs. `find` throws a
 * 404 `ApiError` when there is no such item for this key (another owner's included).
 */
export interface ItemStore<Key extends ItemKey, Item, Data> {
  /** The table the items live in, whose row a write locks before it reads and checks it. */
  table: string;
  find(db: DatabaseReader, key: Key): Promise<Item>;
  /** Writes the whole writable representation; runs after `find`, in the same transaction. */
  update(tx: DatabaseTransaction, key: Key, data: Data): Promise<Item>;
  remove(tx: DatabaseTransaction, key: Key): Promise<void>;
  /** The writable members of an item: what a PUT replaces and a PATCH merges into. */
  writable(item: Item): Data;
  /** The schema a full writable representation satisfies (a PUT body, a patched item). */
  schema: z.ZodType<Data>;
}

type WithIfMatch<Input> = Input & { ifMatch: IfMatch | undefined };

/**
 * GET, PUT, PATCH and DELETE of one item, the same for every resource: `keyOf` reads the item's
 * key from the route's input (path parameters and caller). A PUT writes its body, a PATCH its
 * merge patch (RFC 7396) applied to the current item; a DELETE answers `{}`. A body may repeat
 * the id, never change it.
 *
 * Every write is one read-check-write: lock the item's row, read the current item (scoped by
 * its key, so another owner's is a 404), check `If-Match` against it, then write — in one
 * transaction, so no concurrent write slips between the check and the write, on any instance:
 * of two updates sent with the same ETag, one wins and the other, which waited for the row,
 * reads the winner's version and answers 412. A 404 wins over a 412.
 */
export function itemOperations<Input, Key extends ItemKey, Item, Data>(
  db: Database,
  store: ItemStore<Key, Item, Data>,
  keyOf: (input: Input) => Key,
) {
  const write = <Result>(
    input: WithIfMatch<Input>,
    change: (tx: DatabaseTransaction, key: Key, current: Item) => Promise<Result>,
  ) => {
    const key = keyOf(input);
    return writeTransaction(db, async (tx) => {
      await lockForUpdate(tx, store.table, key.id);
      const current = await store.find(tx, key);
      checkIfMatch(input.ifMatch, current);
      return change(tx, key, current);
    });
  };
  return {
    get: async (input: Input) => ok(await store.find(db, keyOf(input))),
    replace: async (input: WithIfMatch<Input> & { body: Data & { id?: number } }) => {
      const data = withoutId(input.body, keyOf(input).id);
      return ok(await write(input, (tx, key) => store.update(tx, key, data)));
    },
    update: async (input: WithIfMatch<Input> & { body: { id?: number | null } }) => {
      const patch = withoutId(input.body, keyOf(input).id);
      return ok(
        await write(input, (tx, key, current) =>
          store.update(tx, key, patchResource(store.schema, store.writable(current), patch)),
        ),
      );
    },
    remove: async (input: WithIfMatch<Input>) => {
      await write(input, (tx, key) => store.remove(tx, key));
      return deleted();
    },
  };
}
