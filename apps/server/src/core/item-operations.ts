import type { FeedResource } from '@lockstep/contract';
import { type DataAccess, pauseBeforeRetry, WRITE_ATTEMPTS } from '@lockstep/db';
import type { z } from 'zod';
import { type ChangeScope, recordCascade, recordChange } from '../changes/change-log.js';
import { notFound, writeConflict } from './api-error.js';
import { withoutId } from './field-errors.js';
import { lockItemRow } from './item-rows.js';
import { patchResource } from './merge-patch.js';
import { deleted, ok } from './outcomes.js';
import { checkIfMatch, type IfMatch } from './preconditions.js';
import { RowQueue } from './row-queue.js';

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

/** An item as read, with the version of its row: what a conditional write is conditional on. */
export interface Versioned<Item> {
  item: Item;
  version: number;
}

/**
 * An item read with its row's version, or a 404 naming it when there was no row (for this key:
 * another owner's row is not found either).
 */
export function versionedOrNotFound<Row extends { version: number }, Item>(
  row: Row | undefined,
  toItem: (row: Row) => Item,
  resource: string,
  id: number,
): Versioned<Item> {
  if (!row) throw notFound(resource, id);
  return { item: toItem(row), version: row.version };
}

/** How an item's changes are recorded in the change log (`changes/change-log.ts`) for its feed. */
export interface ItemFeed<Item> {
  resource: FeedResource;
  /** What the feed may be narrowed by (a todo's user, a guest's event); none for the others. */
  parentOf?: (item: Item) => number;
  /** The resource whose rows a delete of this item takes with it (a user's todos, an event's guests). */
  cascadesTo?: 'todos' | 'guests';
}

/** Who may see a change of `item`: the owner in its key (none for public resources), and its parent. */
function scopeOf<Item>(feed: ItemFeed<Item>, key: ItemKey, item: Item): ChangeScope {
  return { ownerId: 'ownerId' in key ? (key as OwnedKey).ownerId : null, parentId: feed.parentOf?.(item) ?? null };
}

/**
 * Inserts an item and records its creation, in one transaction (or the one `db` is already in,
 * an idempotent request's): `key` is what scopes it (its id is read from the new item).
 */
export function createItem<Item extends { id: number }>(
  db: DataAccess,
  feed: ItemFeed<Item>,
  key: Omit<ItemKey, 'id'> | Omit<OwnedKey, 'id'>,
  insert: (tx: DataAccess) => Promise<Item>,
): Promise<Item> {
  return db.transaction(async (tx) => {
    const item = await insert(tx);
    const scope = scopeOf(feed, { ...key, id: item.id }, item);
    await recordChange(tx, { resource: feed.resource, kind: 'created', itemId: item.id, item, scope });
    return item;
  });
}

/**
 * A resource's data access for one item, in the terms every item route needs. `find` throws a
 * 404 `ApiError` when there is no such item for this key (another owner's included). Writes are
 * conditional on the version `find` read: they bump it, and do nothing when the row is no longer
 * at that version (changed or deleted since).
 */
export interface ItemStore<Key extends ItemKey, Item, Data> {
  find(db: DataAccess, key: Key): Promise<Versioned<Item>>;
  /**
   * Writes the whole writable representation over `current`, the one read at `version` (only
   * what differs needs writing); undefined when the row has moved on from `version`.
   */
  update(db: DataAccess, key: Key, data: Data, version: number, current: Data): Promise<Item | undefined>;
  /** Deletes the item; false when the row has moved on from `version`. */
  remove(db: DataAccess, key: Key, version: number): Promise<boolean>;
  /** The writable members of an item: what a PUT replaces and a PATCH merges into. */
  writable(item: Item): Data;
  /** The schema a full writable representation satisfies (a PUT body, a patched item). */
  schema: z.ZodType<Data>;
  /** How its changes reach the change log. */
  feed: ItemFeed<Item>;
}

type WithIfMatch<Input> = Input & { ifMatch: IfMatch | undefined };

/**
 * GET, PUT, PATCH and DELETE of one item, the same for every resource: `keyOf` reads the item's
 * key from the route's input (path parameters and caller). A PUT writes its body, a PATCH its
 * merge patch (RFC 7396) applied to the current item; a DELETE answers `{}`. A body may repeat
 * the id, never change it.
 *
 * Every write is optimistic: read the current item and its row's version (scoped by its key, so
 * another owner's is a 404), check `If-Match` against it, then write on condition that the row
 * is still at that version, in one statement. No transaction is held open across the read.
 * Writes of one row queue within the instance (`RowQueue`); when another instance wrote the row
 * in between, the request is judged again against the row as it now is: a PATCH merges into the
 * winner's version, and of two updates sent with the same ETag one wins and the other answers
 * 412. A 404 wins over a 412; a write that keeps losing answers 503 with Retry-After.
 *
 * Each write and its record in the change log commit together, in one transaction. A delete
 * that cascades locks the item's row first, so no child can be added between the listing of the
 * children whose deletion is recorded and the delete that takes them.
 */
export function itemOperations<Input, Key extends ItemKey, Item, Data>(
  store: ItemStore<Key, Item, Data>,
  keyOf: (input: Input) => Key,
) {
  const queue = new RowQueue();
  const write = <Result>(
    db: DataAccess,
    input: WithIfMatch<Input>,
    change: (tx: DataAccess, key: Key, current: Item, version: number) => Promise<Result | undefined>,
  ): Promise<Result> => {
    const key = keyOf(input);
    return queue.run(key.id, async () => {
      for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
        const { item, version } = await store.find(db, key);
        checkIfMatch(input.ifMatch, item);
        const result = await db.transaction((tx) => change(tx, key, item, version));
        if (result !== undefined) return result;
        // Another instance wrote the row in between: pause as a losing transaction does
        // (not after the last attempt: the 503 follows at once).
        if (attempt < WRITE_ATTEMPTS) await pauseBeforeRetry(attempt);
      }
      throw writeConflict();
    });
  };
  const { feed } = store;
  /** Writes `data` over `current` and records the update, if the row is still at `version`. */
  const updated = async (tx: DataAccess, key: Key, data: Data, version: number, current: Data) => {
    const item = await store.update(tx, key, data, version, current);
    if (item !== undefined) {
      const scope = scopeOf(feed, key, item);
      await recordChange(tx, { resource: feed.resource, kind: 'updated', itemId: key.id, item, scope });
    }
    return item;
  };
  return {
    get: async (input: Input, db: DataAccess) => ok((await store.find(db, keyOf(input))).item),
    replace: async (input: WithIfMatch<Input> & { body: Data & { id?: number } }, db: DataAccess) => {
      const data = withoutId(input.body, keyOf(input).id);
      return ok(
        await write(db, input, (tx, key, current, version) => updated(tx, key, data, version, store.writable(current))),
      );
    },
    update: async (input: WithIfMatch<Input> & { body: { id?: number | null } }, db: DataAccess) => {
      const patch = withoutId(input.body, keyOf(input).id);
      return ok(
        await write(db, input, (tx, key, current, version) => {
          const writable = store.writable(current);
          return updated(tx, key, patchResource(store.schema, writable, patch), version, writable);
        }),
      );
    },
    remove: async (input: WithIfMatch<Input>, db: DataAccess) => {
      await write(db, input, async (tx, key, current, version) => {
        const scope = scopeOf(feed, key, current);
        if (feed.cascadesTo) {
          // Locked at the version read, or moved on: then nothing is written, and it is judged again.
          if ((await lockItemRow(tx, feed.resource, key.id)) !== version) return undefined;
          await recordCascade(tx, { resource: feed.cascadesTo, parentId: key.id, ownerId: scope.ownerId });
        }
        if (!(await store.remove(tx, key, version))) return undefined;
        await recordChange(tx, { resource: feed.resource, kind: 'deleted', itemId: key.id, item: null, scope });
        return true;
      });
      return deleted();
    },
  };
}
