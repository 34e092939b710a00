import type { ConsumerUsage, ContractUsage } from '@lockstep/contract';
import { CONTRACT_VERSION, UNKNOWN_CONSUMER } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import type { Logger } from '../logger.js';

/**
 * The usage ledger: requests per consumer (`X-Contract-Version`), contract route and UTC day.
 * Counting is a map update in memory; every `flushMs` the counts are added to the database in
 * one transaction, so every instance's counts land in the same rows and a request never waits on
 * a write. A flush that fails keeps its counts for the next one: nothing counted is lost while
 * the process lives. Days past `retentionDays` are swept hourly.
 */

const DAY_MS = 86_400_000;

/** Distinct consumers an instance counts per day; later ones count as `unknown`, so made-up versions cannot grow the ledger without bound. */
const MAX_CONSUMERS_PER_DAY = 200;

/** Rows per INSERT: far below SQLite's limit on bound parameters (five per row). */
const ROWS_PER_STATEMENT = 500;

/** How often days past retention are swept (at the first flush, then after each flush this much later). */
const SWEEP_MS = 3_600_000;

const dayOf = (time: number): string => new Date(time).toISOString().slice(0, 10);

interface Tally {
  count: number;
  lastSeen: number;
}

/** One UTC day's counts: consumer → route → tally. */
type DayCounts = Map<string, Map<string, Tally>>;

export interface UsageLedgerOptions {
  retentionDays: number;
  flushMs: number;
  /** Told of a write or sweep that failed (the counts are kept). */
  logger: Pick<Logger, 'warn'>;
  /** The clock (tests move it across midnight). */
  now?: () => number;
}

export class UsageLedger {
  private readonly now: () => number;
  /** Counts not yet in the database, by day. */
  private pending = new Map<string, DayCounts>();
  /** The map counting goes to, until `dayEnds` (0: look it up again). */
  private dayEnds = 0;
  private counts: DayCounts = new Map();
  /** The consumers counted on `consumersDay`, at most MAX_CONSUMERS_PER_DAY. */
  private consumersDay = '';
  private consumersToday = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastSweep = 0;

  constructor(
    private readonly db: Database,
    private readonly options: UsageLedgerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Counts one request of `consumer` on `route`: on the hot path, so a few map lookups. */
  record(consumer: string, route: string): void {
    const now = this.now();
    if (now >= this.dayEnds) this.turnDay(now);
    let counted = consumer;
    if (!this.consumersToday.has(consumer)) {
      if (this.consumersToday.size >= MAX_CONSUMERS_PER_DAY) counted = UNKNOWN_CONSUMER;
      this.consumersToday.add(counted);
    }
    let routes = this.counts.get(counted);
    if (!routes) {
      routes = new Map();
      this.counts.set(counted, routes);
    }
    const tally = routes.get(route);
    if (tally) {
      tally.count += 1;
      tally.lastSeen = now;
    } else {
      routes.set(route, { count: 1, lastSeen: now });
    }
  }

  /** Points counting at the map of `now`'s day (a new day, or a fresh map after a flush took the old one). */
  private turnDay(now: number): void {
    const day = dayOf(now);
    if (day !== this.consumersDay) {
      this.consumersDay = day;
      this.consumersToday = new Set();
    }
    this.dayEnds = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    this.counts = this.pending.get(day) ?? new Map();
    this.pending.set(day, this.counts);
  }

  /** Flushes every `flushMs` (a failed flush has logged and kept its counts); old days go with the first flush and hourly after. */
  start(): void {
    this.timer = setInterval(() => {
      void this.flush().catch(() => undefined);
    }, this.options.flushMs);
    this.timer.unref();
  }

  /**
   * Adds the pending counts to the database. Flushes run one after another; one that fails puts
   * its counts back (to be added by the next) and rejects.
   */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    const taken = this.pending;
    this.pending = new Map();
    // Today's counts go on in a fresh map, so the taken ones stay as they were written.
    this.dayEnds = 0;
    const rows = [...taken].flatMap(([day, consumers]) =>
      [...consumers].flatMap(([consumerVersion, routes]) =>
        [...routes].map(([route, tally]) => ({
          consumerVersion,
          route,
          day,
          count: BigInt(tally.count),
          lastSeen: new Date(tally.lastSeen),
        })),
      ),
    );
    // Every instance writes its rows in one order (by code unit, whatever its locale), so two
    // flushes on PostgreSQL lock rows in the same sequence rather than deadlocking.
    const keyOf = (row: (typeof rows)[number]) => `${row.day}\u0000${row.consumerVersion}\u0000${row.route}`;
    rows.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    try {
      if (rows.length > 0) {
        await this.db.transaction(async (tx) => {
          for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
            await tx.write
              .insertInto('contract_usage')
              .values(rows.slice(start, start + ROWS_PER_STATEMENT))
              .onConflict((conflict) =>
                conflict.columns(['consumerVersion', 'route', 'day']).doUpdateSet((eb) => ({
                  count: eb('contract_usage.count', '+', eb.ref('excluded.count')),
                  lastSeen: eb
                    .case()
                    .when('excluded.lastSeen', '>', eb.ref('contract_usage.lastSeen'))
                    .then(eb.ref('excluded.lastSeen'))
                    .else(eb.ref('contract_usage.lastSeen'))
                    .end(),
                })),
              )
              .execute();
          }
        });
      }
    } catch (error) {
      this.restore(taken);
      this.options.logger.warn(
        { err: error, rows: rows.length },
        'could not write the usage ledger; kept for the next flush',
      );
      throw error;
    }
    if (this.now() - this.lastSweep >= SWEEP_MS) await this.sweep();
  }

  /** Puts counts that could not be written back among the pending ones. */
  private restore(taken: Map<string, DayCounts>): void {
    for (const [day, consumers] of taken) {
      let into = this.pending.get(day);
      if (!into) {
        into = new Map();
        this.pending.set(day, into);
      }
      for (const [consumer, routes] of consumers) {
        let target = into.get(consumer);
        if (!target) {
          target = new Map();
          into.set(consumer, target);
        }
        for (const [route, tally] of routes) {
          const existing = target.get(route);
          if (existing) {
            existing.count += tally.count;
            existing.lastSeen = Math.max(existing.lastSeen, tally.lastSeen);
          } else {
            target.set(route, { ...tally });
          }
        }
      }
    }
    this.dayEnds = 0;
  }

  /** Deletes the days past retention (a failure is logged: the rows go at the next sweep). */
  private async sweep(): Promise<void> {
    this.lastSweep = this.now();
    try {
      await this.db.write.deleteFrom('contract_usage').where('day', '<', this.oldestDay()).execute();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not sweep the usage ledger');
    }
  }

  /** The first day kept. */
  private oldestDay(): string {
    return dayOf(this.now() - (this.options.retentionDays - 1) * DAY_MS);
  }

  /**
   * The ledger from `since` (a day; clamped to retention) on: this instance's pending counts
   * first added, so the answer includes every request it has counted.
   */
  async report(since: string | undefined): Promise<ContractUsage> {
    await this.flush();
    const oldest = this.oldestDay();
    const from = since && since > oldest ? since : oldest;
    const rows = await this.db.read
      .selectFrom('contract_usage')
      .select(['consumerVersion', 'route', 'count', 'lastSeen'])
      .where('day', '>=', from)
      .execute();
    const consumers = new Map<string, Map<string, Tally>>();
    for (const row of rows) {
      let routes = consumers.get(row.consumerVersion);
      if (!routes) {
        routes = new Map();
        consumers.set(row.consumerVersion, routes);
      }
      const tally = routes.get(row.route) ?? { count: 0, lastSeen: 0 };
      tally.count += Number(row.count);
      tally.lastSeen = Math.max(tally.lastSeen, row.lastSeen.getTime());
      routes.set(row.route, tally);
    }
    const usage: ConsumerUsage[] = [...consumers]
      .map(([version, routes]) => {
        const list = [...routes]
          .map(([route, tally]) => ({ route, count: tally.count, lastSeen: new Date(tally.lastSeen).toISOString() }))
          .sort((a, b) => a.route.localeCompare(b.route));
        return {
          version,
          count: list.reduce((sum, route) => sum + route.count, 0),
          lastSeen:
            list
              .map((route) => route.lastSeen)
              .sort()
              .at(-1) ?? new Date(0).toISOString(),
          routes: list,
        };
      })
      .sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
    return {
      serverVersion: CONTRACT_VERSION,
      since: from,
      retentionDays: this.options.retentionDays,
      consumers: usage,
    };
  }

  /** Stops the timer and writes what is pending (the last requests before a shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
