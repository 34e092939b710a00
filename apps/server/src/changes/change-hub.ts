import type { ChangeKind, FeedResource } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import type { Logger } from '../logger.js';
import { type ChangeRow, changesAfter, latestChangeId } from './change-log.js';
import { encodeCursor, type FeedCursor } from './cursor.js';

/** Which changes a subscriber follows: one resource, the caller's rows of it, maybe one parent's. */
export interface ChangeFilter {
  resource: FeedResource;
  /** The owner whose rows are followed; null for a public resource (every row). */
  ownerId: string | null;
  /** Only the changes of this parent's items (a user's todos, an event's guests). */
  parentId?: number;
}

/** One change as every subscriber receives it, its `data` serialised once for all of them. */
export interface FeedFrame {
  id: number;
  cursor: string;
  kind: ChangeKind;
  /** `{"id":…,"item":…,"etag":…}`: the item's JSON as it was recorded, not parsed and written again. */
  data: string;
}

/** Where a subscriber's changes go: an SSE response, a tRPC subscription. */
export interface ChangeSink {
  deliver(frame: FeedFrame): void;
  /** The resume point was older than the log keeps: refetch, then follow from `cursor`. */
  reset(cursor: string): void;
  /** More changes arrived during the catch-up than a subscriber may hold: it must go. */
  overflow(): void;
}

/** Changes read per query, when catching up and when following. */
const BATCH = 500;

/** Live changes held for a subscriber while it catches up from its cursor; past this it is dropped. */
const MAX_HELD_DURING_CATCH_UP = 10_000;

interface Subscriber {
  filter: ChangeFilter;
  sink: ChangeSink;
  /** The last change delivered (or skipped as already seen): nothing at or before it is sent again. */
  after: number;
  /** Live changes held while the subscriber catches up; undefined once it follows live. */
  held: FeedFrame[] | undefined;
}

export function frameOf(row: ChangeRow): FeedFrame {
  return {
    id: row.id,
    cursor: encodeCursor({ id: row.id, recordedAt: row.createdAt }),
    kind: row.kind,
    data: `{"id":${row.itemId},"item":${row.item ?? 'null'},"etag":${row.etag === null ? 'null' : JSON.stringify(row.etag)}}`,
  };
}

const matches = (filter: ChangeFilter, row: ChangeRow) =>
  (filter.ownerId === null || row.ownerId === filter.ownerId) &&
  (filter.parentId === undefined || row.parentId === filter.parentId);

/**
 * One instance's fan-out of the change log to its subscribers. Whatever wakes it (a PostgreSQL
 * notification, SQLite's data version moving: see `commit-signal.ts`) it reads the changes after
 * the last one it read, once for every subscriber, in id order, and hands each to the
 * subscribers whose filter it passes. The log is the truth: a lost wake-up delays a change until
 * the next one, never loses it.
 *
 * A subscriber is registered first, so live changes are held for it, then catches up from the
 * log (after its cursor, up to the position the hub had read when it registered); the held
 * changes follow. Every change after the cursor arrives once: the catch-up ends where the live
 * changes begin.
 */
export class ChangeHub {
  private position = 0;
  private readonly subscribers = new Map<FeedResource, Set<Subscriber>>();
  private reading: Promise<void> | undefined;
  private readAgain = false;

  constructor(
    private readonly db: DataAccess,
    private readonly options: { retentionMs: number; logger: Logger },
  ) {}

  /** Starts from the newest change: subscribers follow what commits from now on. */
  async start(): Promise<void> {
    this.position = await latestChangeId(this.db);
  }

  /** How many subscribers follow changes on this instance. */
  get size(): number {
    let size = 0;
    for (const set of this.subscribers.values()) size += set.size;
    return size;
  }

  /** Something committed: read the log after the last change read (reads coalesce). */
  wake(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'reading the change log failed'))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.wake();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const rows = await changesAfter(this.db, this.position, { limit: BATCH });
      for (const row of rows) {
        this.position = row.id;
        this.dispatch(row);
      }
      if (rows.length < BATCH) return;
    }
  }

  private dispatch(row: ChangeRow): void {
    const subscribers = this.subscribers.get(row.resource as FeedResource);
    if (!subscribers) return;
    let frame: FeedFrame | undefined;
    for (const subscriber of subscribers) {
      if (row.id <= subscriber.after || !matches(subscriber.filter, row)) continue;
      frame ??= frameOf(row);
      if (subscriber.held) {
        if (subscriber.held.length >= MAX_HELD_DURING_CATCH_UP) this.drop(subscriber, () => subscriber.sink.overflow());
        else subscriber.held.push(frame);
        continue;
      }
      subscriber.after = row.id;
      subscriber.sink.deliver(frame);
    }
  }

  private drop(subscriber: Subscriber, then: () => void): void {
    this.subscribers.get(subscriber.filter.resource)?.delete(subscriber);
    then();
  }

  /**
   * Follows the changes that pass `filter`: after `resume` when given (a cursor this server
   * handed out), else after the newest change committed now (not the last one this hub has read,
   * which may lag behind by a wake-up). Answers once the catch-up is delivered; the function it
   * answers stops following.
   */
  async follow(filter: ChangeFilter, resume: FeedCursor | undefined, sink: ChangeSink): Promise<() => void> {
    const subscriber: Subscriber = { filter, sink, after: this.position, held: [] };
    let set = this.subscribers.get(filter.resource);
    if (!set) {
      set = new Set();
      this.subscribers.set(filter.resource, set);
    }
    set.add(subscriber);
    const unsubscribe = () => void this.subscribers.get(filter.resource)?.delete(subscriber);
    try {
      if (resume) await this.catchUp(subscriber, resume);
      else subscriber.after = Math.max(subscriber.after, await latestChangeId(this.db));
    } catch (error) {
      unsubscribe();
      throw error;
    }
    this.release(subscriber);
    return unsubscribe;
  }

  /** Delivers the changes `after` the cursor, up to where the hub had read when the subscriber came. */
  private async catchUp(subscriber: Subscriber, resume: FeedCursor): Promise<void> {
    const upTo = subscriber.after;
    const { filter, sink } = subscriber;
    if (Date.now() - resume.recordedAt.getTime() > this.options.retentionMs) {
      // Changes after the cursor may have been swept: the client must refetch what it holds.
      sink.reset(encodeCursor({ id: upTo, recordedAt: new Date() }));
      return;
    }
    let after = resume.id;
    while (after < upTo) {
      const rows = await changesAfter(this.db, after, {
        limit: BATCH,
        upTo,
        resource: filter.resource,
        ownerId: filter.ownerId,
        ...(filter.parentId !== undefined ? { parentId: filter.parentId } : {}),
      });
      for (const row of rows) if (this.isFollowing(subscriber)) sink.deliver(frameOf(row));
      if (rows.length < BATCH) break;
      after = (rows.at(-1) as ChangeRow).id;
    }
    // A cursor from an instance that had read further than this one: skip what it saw.
    subscriber.after = Math.max(upTo, resume.id);
  }

  /** From holding to following: the held changes after the subscriber's position go out first. */
  private release(subscriber: Subscriber): void {
    const held = subscriber.held ?? [];
    subscriber.held = undefined;
    for (const frame of held) {
      if (frame.id <= subscriber.after || !this.isFollowing(subscriber)) continue;
      subscriber.after = frame.id;
      subscriber.sink.deliver(frame);
    }
  }

  private isFollowing(subscriber: Subscriber): boolean {
    return this.subscribers.get(subscriber.filter.resource)?.has(subscriber) ?? false;
  }
}
