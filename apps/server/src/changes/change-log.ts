import type { ChangeKind, FeedResource } from '@lockstep/contract';
import type { DataAccess, DB } from '@lockstep/db';
import { type Insertable, type Selectable, sql } from 'kysely';
import { entityTag } from '../core/entity-tag.js';

/**
 * The change log: every change to an item is a row of `changes`, inserted by the transaction
 * that makes the change, so the log holds exactly the committed changes (a rolled-back write
 * leaves none, a committed one cannot be missing). Feeds read it by `id`, their cursor, which
 * must grow in commit order for a reader never to skip a change that commits late:
 * - SQLite has one writer at a time and AUTOINCREMENT ids that are never reused, so it does;
 * - PostgreSQL hands out ids when rows are inserted, not when they commit, so writers take turns:
 *   each takes a transaction-scoped advisory lock before it inserts its first change and holds it
 *   to its commit. The lock is taken after the item's own write, just before the commit, so it is
 *   held for that one insert and the commit.
 * On PostgreSQL the insert also notifies `CHANGES_CHANNEL` with the change's id; the
 * notification is delivered at commit, never for a rollback (the log stays the truth).
 */

/** The channel PostgreSQL notifies of each committed change (payload: the change's id). */
export const CHANGES_CHANNEL = 'lockstep_changes';

/** The advisory lock the writers of the change log take turns at: any constant of our own. */
const CHANGE_LOG_LOCK = 0x6368_616e_6765_73n; // "changes" in ASCII: not the migrations' lock

/** Who may see a change: the owner of an owned row (null for public resources), and its parent. */
export interface ChangeScope {
  ownerId: string | null;
  /** What a feed may be narrowed by: a todo's user, a guest's event. */
  parentId: number | null;
}

export interface ItemChange {
  resource: FeedResource;
  kind: ChangeKind;
  itemId: number;
  /** The item as GET answers it; null when deleted. */
  item: object | null;
  scope: ChangeScope;
}

export type ChangeRow = Selectable<DB['changes']>;

async function takeTurn(tx: DataAccess): Promise<void> {
  if (tx.engine === 'postgresql') await sql`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(tx.write);
}

/** Records one change; `tx` must be the transaction that makes it. */
export async function recordChange(tx: DataAccess, change: ItemChange): Promise<void> {
  await takeTurn(tx);
  // The item's text is the one GET serialises, so its tag is the ETag GET answers.
  const text = change.item && JSON.stringify(change.item);
  const values = {
    resource: change.resource,
    ownerId: change.scope.ownerId,
    parentId: change.scope.parentId,
    itemId: change.itemId,
    kind: change.kind,
    item: text,
    etag: text && entityTag(text),
    createdAt: new Date(),
  };
  await insertChanges(tx, values);
}

/** Rows per insert of a cascade's changes: well within either engine's limit of bound values. */
const CASCADE_BATCH = 500;

/**
 * Records the deletion of every child a cascading delete is about to take with its parent (a
 * user's todos, an event's guests); `tx` must be the transaction that deletes the parent.
 */
export async function recordCascade(
  tx: DataAccess,
  children: { resource: 'todos' | 'guests'; parentId: number; ownerId: string | null },
): Promise<void> {
  const column = children.resource === 'todos' ? 'userId' : 'eventId';
  const rows = await tx.write
    .selectFrom(children.resource)
    .select('id')
    .where(column, '=', children.parentId)
    .orderBy('id')
    .execute();
  if (rows.length === 0) return;
  await takeTurn(tx);
  const createdAt = new Date();
  for (let start = 0; start < rows.length; start += CASCADE_BATCH) {
    const values = rows.slice(start, start + CASCADE_BATCH).map(({ id }) => ({
      resource: children.resource,
      ownerId: children.ownerId,
      parentId: children.parentId,
      itemId: id,
      kind: 'deleted' as const,
      createdAt,
    }));
    await insertChanges(tx, values);
  }
}

type NewChange = Insertable<DB['changes']>;

/** Inserts changes; on PostgreSQL in the same statement notifies their newest id, which leaves at commit. */
async function insertChanges(tx: DataAccess, values: NewChange | NewChange[]): Promise<void> {
  if (tx.engine === 'sqlite') {
    await tx.write.insertInto('changes').values(values).execute();
    return;
  }
  await tx.write
    .with('inserted', (db) => db.insertInto('changes').values(values).returning('id'))
    .selectFrom('inserted')
    .select(sql<string>`pg_notify(${CHANGES_CHANNEL}, max(inserted.id)::text)`.as('notified'))
    .execute();
}

/** Changes after `after`, oldest first, at most `limit`, narrowed as a feed narrows them. */
export function changesAfter(
  db: DataAccess,
  after: number,
  options: { limit: number; upTo?: number; resource?: FeedResource; ownerId?: string | null; parentId?: number },
): Promise<ChangeRow[]> {
  let query = db.read.selectFrom('changes').selectAll().where('id', '>', after);
  if (options.upTo !== undefined) query = query.where('id', '<=', options.upTo);
  if (options.resource !== undefined) query = query.where('resource', '=', options.resource);
  if (options.ownerId) query = query.where('ownerId', '=', options.ownerId);
  if (options.parentId !== undefined) query = query.where('parentId', '=', options.parentId);
  return query.orderBy('id').limit(options.limit).execute();
}

/** The id of the newest change, 0 when there is none. */
export async function latestChangeId(db: DataAccess): Promise<number> {
  const { latest } = await db.read
    .selectFrom('changes')
    .select((eb) => eb.fn.max('id').as('latest'))
    .executeTakeFirstOrThrow();
  return Number(latest ?? 0);
}

/** How many changes one sweep statement deletes: short statements, so writers barely wait. */
const SWEEP_BATCH = 1_000;

/** Deletes the changes recorded before `cutoff`, a batch at a time; answers how many went. */
export async function sweepChanges(db: DataAccess, cutoff: Date): Promise<number> {
  let swept = 0;
  for (;;) {
    const { numDeletedRows } = await db.write
      .deleteFrom('changes')
      .where('id', 'in', (eb) =>
        eb.selectFrom('changes').select('id').where('createdAt', '<', cutoff).orderBy('id').limit(SWEEP_BATCH),
      )
      .executeTakeFirstOrThrow();
    swept += Number(numDeletedRows);
    if (numDeletedRows < BigInt(SWEEP_BATCH)) return swept;
  }
}
