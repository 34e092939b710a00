import type { PoolUse } from '@lockstep/db';
import { type Attributes, type Counter, type Histogram, metrics } from '@opentelemetry/api';
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';

/** The instrumentation scope every lockstep instrument and span belongs to. */
export const INSTRUMENTATION_SCOPE = '@lockstep/server';

/** The bucket boundaries the HTTP semantic conventions advise for request durations, in seconds. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * The request-duration histogram as one aggregation that every metric reader collects from.
 * Without a view the SDK keeps a copy of an instrument per reader and records each request into
 * every copy (hashing its attributes each time): twice with OTLP and Prometheus both on. A view's
 * aggregation is shared, and each reader still gets its own cumulative or delta points from it.
 */
export const SHARED_AGGREGATION_VIEWS: ViewOptions[] = [
  {
    meterName: INSTRUMENTATION_SCOPE,
    instrumentName: METRIC_HTTP_SERVER_REQUEST_DURATION,
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: HTTP_DURATION_BUCKETS } },
  },
];

/** What the instruments observe when a reader collects, rather than being told on each change. */
export interface ObservedState {
  /** Open change-feed streams on this instance (REST and tRPC). */
  feedSubscribers(): number;
  /** The database pool's use; undefined where there is none (SQLite). */
  poolUse(): PoolUse | undefined;
}

/**
 * Every metric the server records, created once from the global meter (a no-op until the SDK
 * registers one). Names follow the semantic conventions where one exists; lockstep's own are
 * under `lockstep.`. A Prometheus scrape shows them with `.` as `_`, the unit as a suffix and
 * counters ending in `_total` (`lockstep_contract_violations_total`).
 */
export class ServerMetrics {
  readonly requestDuration: Histogram;
  /**
   * Requests being handled, by method and scheme: counted in a plain map and observed when a
   * reader collects, so a request costs two map updates rather than two recorded measurements.
   */
  readonly activeRequests = new Map<string, { attributes: Attributes; count: number }>();
  readonly idempotentReplays: Counter;
  readonly rateLimitRefusals: Counter;
  readonly contractViolations: Counter;

  constructor(state: ObservedState) {
    const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
    // Its buckets are the view's (`SHARED_AGGREGATION_VIEWS`), which every meter provider of ours has.
    this.requestDuration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
      description: 'Duration of HTTP server requests.',
      unit: 's',
    });
    meter
      .createObservableUpDownCounter('http.server.active_requests', {
        description: 'Number of active HTTP server requests.',
        unit: '{request}',
      })
      .addCallback((result) => {
        for (const { attributes, count } of this.activeRequests.values()) result.observe(count, attributes);
      });
    this.idempotentReplays = meter.createCounter('lockstep.idempotent.replays', {
      description: 'Requests answered by replaying the recorded answer of their Idempotency-Key.',
      unit: '{request}',
    });
    this.rateLimitRefusals = meter.createCounter('lockstep.rate_limit.refusals', {
      description: 'Requests refused with 429 by a rate limit or a stream cap.',
      unit: '{request}',
    });
    this.contractViolations = meter.createCounter('lockstep.contract.violations', {
      description: 'Sampled responses whose body did not match the contract (sent unchanged).',
      unit: '{response}',
    });
    meter
      .createObservableUpDownCounter('lockstep.feed.subscribers', {
        description: 'Open change-feed streams on this instance.',
        unit: '{stream}',
      })
      .addCallback((result) => result.observe(state.feedSubscribers()));
    const connections = meter.createObservableUpDownCounter('db.client.connection.count', {
      description: 'Database connections in the pool, by state.',
      unit: '{connection}',
    });
    const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
      description: 'Callers waiting for a database connection.',
      unit: '{request}',
    });
    const max = meter.createObservableUpDownCounter('db.client.connection.max', {
      description: 'The most connections the pool opens.',
      unit: '{connection}',
    });
    meter.addBatchObservableCallback(
      (result) => {
        const use = state.poolUse();
        if (!use) return;
        const pool: Attributes = { 'db.client.connection.pool.name': 'lockstep' };
        result.observe(connections, use.used, { ...pool, 'db.client.connection.state': 'used' });
        result.observe(connections, use.idle, { ...pool, 'db.client.connection.state': 'idle' });
        result.observe(pending, use.pending, pool);
        result.observe(max, use.max, pool);
      },
      [connections, pending, max],
    );
  }
}
