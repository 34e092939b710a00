/**
 * Telemetry as an operator gets it: the built server in its own process, configured only by the
 * OTEL_* variables and METRICS_PORT, exporting over OTLP/HTTP to a receiver of this test's own
 * that decodes what arrives (protobuf and JSON), and scraped on its metrics port with the
 * Prometheus project's parser. On SQLite and on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { dropPostgresqlDatabase, openDatabase } from '@lockstep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpReceiver,
  type ReceivedPoint,
  type ReceivedSpan,
  startOtlpReceiver,
} from './testing/otlp-receiver.js';
import { prometheusParserInstalled, scrapePrometheus } from './testing/prometheus-scrape.js';
import { freePort, type ServerProcess, startServerProcess } from './testing/server-process.js';
import { createKey, makeTempDir, testDatabaseUrl, testEngine } from './testing.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** A W3C traceparent of a caller's sampled span, fresh per call. */
function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The built server in its own process, exporting to a receiver of this test's, its JSON log lines kept. */
interface ObservedServer {
  receiver: OtlpReceiver;
  server: ServerProcess;
  databaseUrl: string;
  logLines: Record<string, unknown>[];
  dispose(): Promise<void>;
}

async function startObservedServer(env: (receiver: OtlpReceiver) => Record<string, string>): Promise<ObservedServer> {
  const receiver = await startOtlpReceiver();
  const dir = await makeTempDir();
  const databaseUrl = await testDatabaseUrl(dir);
  const server = await startServerProcess(databaseUrl, env(receiver), { stdio: 'pipe' });
  const logLines: Record<string, unknown>[] = [];
  let pending = '';
  server.child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return {
    receiver,
    server,
    databaseUrl,
    logLines,
    async dispose() {
      await server.stop();
      await receiver.close();
      if (testEngine() === 'postgresql') await dropPostgresqlDatabase(databaseUrl);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('telemetry from the OTEL_* variables', () => {
  let observed: ObservedServer;
  let receiver: OtlpReceiver;
  let server: ServerProcess;
  let logLines: Record<string, unknown>[];
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    observed = await startObservedServer((otlp) => ({
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: 'lockstep-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRIC_EXPORT_INTERVAL: '250',
      METRICS_PORT: String(metricsPort),
      RATE_LIMIT_AUTH_FAILURES: '2',
      SHUTDOWN_DRAIN_MS: '1500',
    }));
    ({ receiver, server, logLines } = observed);
  });

  afterAll(() => observed?.dispose());

  const spansOfTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
  const childrenOf = (parent: ReceivedSpan) => receiver.spans.filter((span) => span.parentSpanId === parent.spanId);

  it('traces a REST request as a server span named by its contract route, continuing the caller’s trace', async () => {
    const caller = callerContext();
    const response = await fetch(`${server.base}/todos/1`, { headers: { traceparent: caller.traceparent } });
    expect(response.status).toBe(200);

    const span = await receiver.waitFor(() => spansOfTrace(caller.traceId).find((s) => s.kind === SERVER));
    expect(span).toMatchObject({
      name: 'GET /todos/:id',
      parentSpanId: caller.parentId,
      service: 'lockstep-under-test',
      encoding: 'protobuf',
      statusCode: 0,
    });
    expect(span.attributes).toMatchObject({
      'http.route': '/todos/:id',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.path': '/todos/1',
      'url.scheme': 'http',
    });
    expect(span.attributes['error.type']).toBeUndefined();

    // Its query, a child: statement kind and table, never the statement or its values.
    const query = await receiver.waitFor(() => childrenOf(span).find((s) => s.kind === CLIENT));
    expect(query.name).toBe('SELECT todos');
    expect(query.attributes).toEqual({
      'db.system.name': testEngine(),
      'db.operation.name': 'SELECT',
      'db.query.summary': 'SELECT todos',
      'db.collection.name': 'todos',
    });

    // The request's log line names the same trace and span.
    const line = await receiver.waitFor(() =>
      logLines.find((entry) => (entry.req as { url?: string } | undefined)?.url === '/todos/1'),
    );
    expect(line).toMatchObject({ trace_id: caller.traceId, span_id: span.spanId, msg: 'request completed' });
  });

  it('leaves a 4xx span’s status unset, and names a request no route matched by its method alone', async () => {
    const missing = callerContext();
    expect((await fetch(`${server.base}/todos/987654`, { headers: { traceparent: missing.traceparent } })).status).toBe(
      404,
    );
    const unknown = callerContext();
    expect(
      (await fetch(`${server.base}/no/such/path/42`, { headers: { traceparent: unknown.traceparent } })).status,
    ).toBe(404);

    const notFound = await receiver.waitFor(() => spansOfTrace(missing.traceId).find((s) => s.kind === SERVER));
    expect(notFound).toMatchObject({ name: 'GET /todos/:id', statusCode: 0 });
    expect(notFound.attributes['http.response.status_code']).toBe(404);
    expect(notFound.attributes['error.type']).toBeUndefined();

    const unmatched = await receiver.waitFor(() => spansOfTrace(unknown.traceId).find((s) => s.kind === SERVER));
    expect(unmatched.name).toBe('GET');
    expect(unmatched.attributes['http.route']).toBeUndefined();
  });

  it('traces a tRPC call as a procedure span named by its contract key, its queries beneath it', async () => {
    const caller = callerContext();
    const input = encodeURIComponent(JSON.stringify({ params: { id: 2 } }));
    const response = await fetch(`${server.base}/trpc/todos.get?input=${input}`, {
      headers: { traceparent: caller.traceparent },
    });
    expect(response.status).toBe(200);

    const request = await receiver.waitFor(() => spansOfTrace(caller.traceId).find((s) => s.kind === SERVER));
    expect(request.name).toBe('GET /trpc/:procedure');
    expect(request.parentSpanId).toBe(caller.parentId);
    const procedure = await receiver.waitFor(() => childrenOf(request).find((s) => s.name === 'todos.get'));
    expect(procedure.attributes).toMatchObject({ 'rpc.system': 'trpc', 'rpc.method': 'todos.get' });
    const query = await receiver.waitFor(() => childrenOf(procedure).find((s) => s.kind === CLIENT));
    expect(query.name).toBe('SELECT todos');
  });

  it('places every query of a request under its own span, its key lookup and transaction included, never another’s', async () => {
    const { token } = await createKey({ databaseUrl: observed.databaseUrl });
    const authorization = `Bearer ${token}`;
    // A write through the whole path (key lookup, Idempotency-Key records, the transaction)
    // alongside reads sent at the same time, each in a trace of its own.
    const write = callerContext();
    const reads = Array.from({ length: 12 }, () => callerContext());
    const responses = await Promise.all([
      fetch(`${server.base}/todos`, {
        method: 'POST',
        headers: {
          authorization,
          traceparent: write.traceparent,
          'content-type': 'application/json',
          'idempotency-key': `traced-${randomBytes(6).toString('hex')}`,
        },
        body: JSON.stringify({ userId: 1, title: 'traced write', completed: false }),
      }),
      ...reads.map((caller, index) =>
        fetch(`${server.base}/todos/${index + 1}`, { headers: { authorization, traceparent: caller.traceparent } }),
      ),
    ]);
    expect(responses.map((response) => response.status)).toEqual([201, ...reads.map(() => 200)]);

    const queriesUnder = async (caller: ReturnType<typeof callerContext>, count: number) => {
      const request = await receiver.waitFor(() => spansOfTrace(caller.traceId).find((s) => s.kind === SERVER));
      const queries = await receiver.waitFor(() => {
        const found = spansOfTrace(caller.traceId).filter((s) => s.kind === CLIENT);
        return found.length >= count ? found : undefined;
      });
      expect(queries.every((query) => query.parentSpanId === request.spanId)).toBe(true);
      return queries.map((query) => query.name);
    };
    const written = await queriesUnder(write, 5);
    expect(written).toEqual(
      expect.arrayContaining([
        'SELECT api_keys',
        'SELECT idempotency_keys',
        'INSERT idempotency_keys',
        'INSERT todos',
        'UPDATE idempotency_keys',
      ]),
    );
    // Each read's trace holds its own two queries, no more: none strayed into another request's.
    for (const caller of reads)
      expect((await queriesUnder(caller, 2)).sort()).toEqual(['SELECT api_keys', 'SELECT todos']);
  });

  it('exports the request duration histogram and lockstep’s own metrics over OTLP', async () => {
    const duration = await receiver.waitFor(() =>
      receiver.metrics.find(
        (metric) =>
          metric.name === 'http.server.request.duration' &&
          metric.points.some((point) => point.attributes['http.route'] === '/todos/:id'),
      ),
    );
    expect(duration).toMatchObject({ unit: 's', kind: 'histogram' });
    const point = duration.points.find(
      (p) => p.attributes['http.route'] === '/todos/:id' && p.attributes['http.response.status_code'] === 200,
    );
    expect(point?.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.scheme': 'http' });
    expect(point?.value).toBeGreaterThanOrEqual(1);
    expect(point?.explicitBounds).toEqual(HTTP_DURATION_BUCKETS);

    const names = () => new Set(receiver.metrics.map((metric) => metric.name));
    await receiver.waitFor(
      () => names().has('http.server.active_requests') && names().has('lockstep.feed.subscribers'),
    );
    if (testEngine() === 'postgresql') {
      const pool = await receiver.waitFor(() => receiver.metrics.find((m) => m.name === 'db.client.connection.count'));
      expect(pool.points.map((p) => p.attributes['db.client.connection.state']).sort()).toEqual(['idle', 'used']);
    }
  });

  describe.skipIf(!prometheusParserInstalled() && process.env.CI !== 'true')('the Prometheus listener', () => {
    const metricsUrl = () => `http://127.0.0.1:${metricsPort}/metrics`;

    it('serves /metrics on METRICS_PORT only, in the text format Prometheus parses', async () => {
      expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
      const { status, contentType, families } = await scrapePrometheus(metricsUrl());
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const duration = families.find((family) => family.name === 'http_server_request_duration_seconds');
      expect(duration?.type).toBe('histogram');
      const count = duration?.samples.find(
        (sample) => sample.name.endsWith('_count') && sample.labels.http_route === '/todos/:id',
      );
      expect(count?.labels).toMatchObject({ http_request_method: 'GET', http_response_status_code: '200' });
      expect(families.find((family) => family.name === 'lockstep_feed_subscribers')?.type).toBe('gauge');
    });

    it('labels by route template only: many ids and unknown paths add no series', async () => {
      const before = await scrapePrometheus(metricsUrl());
      const seriesOf = (families: typeof before.families) =>
        families
          .find((family) => family.name === 'http_server_request_duration_seconds')
          ?.samples.filter((sample) => sample.name.endsWith('_count')) ?? [];
      for (let batch = 0; batch < 10; batch += 1) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, index) => {
            const id = 100 + batch * 20 + index;
            for (const path of [`/todos/${id}`, `/users/${id}/todos`, `/random-${id}/x`, `/trpc/todos.get-${id}`]) {
              await (await fetch(`${server.base}${path}`)).arrayBuffer();
            }
          }),
        );
      }
      const after = await scrapePrometheus(metricsUrl());
      const routes = new Set(seriesOf(after.families).map((sample) => sample.labels.http_route));
      expect([...routes].filter((route) => route !== undefined && !/^[/a-zA-Z:_.*-]+$/.test(route))).toEqual([]);
      for (const route of routes) expect(route ?? '').not.toMatch(/\d/);
      // 800 requests on 800 distinct URLs added a handful of series, not hundreds.
      expect(seriesOf(after.families).length - seriesOf(before.families).length).toBeLessThanOrEqual(6);
    });

    it('counts idempotent replays and rate-limit refusals', async () => {
      const post = () =>
        fetch(`${server.base}/todos`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `telemetry-${randomBytes(4).toString('hex')}`,
          },
          body: JSON.stringify({ userId: 1, title: 'counted once', completed: false }),
        });
      const key = `telemetry-${randomBytes(6).toString('hex')}`;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const response = await fetch(`${server.base}/todos`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ userId: 1, title: 'counted once', completed: false }),
        });
        expect(response.status).toBe(201);
      }
      expect((await post()).status).toBe(201);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await fetch(`${server.base}/todos/1`, { headers: { authorization: 'Bearer not-a-key' } });
        statuses.push(response.status);
      }
      expect(statuses).toContain(429);

      const { families } = await scrapePrometheus(metricsUrl());
      const total = (name: string) =>
        families
          .find((family) => family.name === name)
          ?.samples.filter((sample) => sample.name === `${name}_total`)
          .reduce((sum, sample) => sum + sample.value, 0);
      expect(families.find((family) => family.name === 'lockstep_idempotent_replays')?.type).toBe('counter');
      expect(total('lockstep_idempotent_replays')).toBe(1);
      expect(total('lockstep_rate_limit_refusals')).toBe(statuses.filter((status) => status === 429).length);
    });

    it('counts each request once in every reader: the scrape and the OTLP export agree', async () => {
      // A route no other test here asks for, so its count is this test's requests alone.
      const requests = 7;
      for (let id = 1; id <= requests; id += 1) await (await fetch(`${server.base}/users/${id}`)).arrayBuffer();
      const userPoint = (points: ReceivedPoint[]) =>
        points.find(
          (p) => p.attributes['http.route'] === '/users/:id' && p.attributes['http.response.status_code'] === 200,
        );
      // Both readers are cumulative: each export and each scrape holds every request so far.
      const exported = await receiver.waitFor(() =>
        receiver.metrics
          .filter((metric) => metric.name === 'http.server.request.duration')
          .map((metric) => userPoint(metric.points)?.value)
          .find((count) => count === requests),
      );
      expect(exported).toBe(requests);
      const { families } = await scrapePrometheus(metricsUrl());
      const scraped = families
        .find((family) => family.name === 'http_server_request_duration_seconds')
        ?.samples.find((sample) => sample.name.endsWith('_count') && sample.labels.http_route === '/users/:id');
      expect(scraped?.value).toBe(requests);
      // No export ever counted a request twice.
      const counts = receiver.metrics
        .filter((metric) => metric.name === 'http.server.request.duration')
        .map((metric) => userPoint(metric.points)?.value ?? 0);
      expect(Math.max(...counts)).toBe(requests);
    });

    it('has every metric the committed Grafana dashboard queries', async () => {
      const dashboard = await readFile(
        new URL('../../../deploy/grafana/lockstep-dashboard.json', import.meta.url),
        'utf8',
      );
      const queried = new Set(dashboard.match(/\b(?:http_server|lockstep|db_client)_[a-z_]+\b/g));
      const { families } = await scrapePrometheus(metricsUrl());
      const served = new Set(families.flatMap((family) => family.samples.map((sample) => sample.name)));
      // Present only once something happened (a violation) or on a pooled engine (PostgreSQL).
      const conditional = new Set(['lockstep_contract_violations_total']);
      if (testEngine() === 'sqlite') {
        for (const name of [
          'db_client_connection_count',
          'db_client_connection_pending_requests',
          'db_client_connection_max',
        ])
          conditional.add(name);
      }
      const labels = new Set([
        'http_request_method',
        'http_route',
        'http_response_status_code',
        'db_client_connection_state',
      ]);
      const missing = [...queried].filter((name) => !served.has(name) && !conditional.has(name) && !labels.has(name));
      expect(queried.size).toBeGreaterThan(5);
      expect(missing).toEqual([]);
    });
  });

  it('marks a 5xx span as an error with its status as error.type (readiness while draining)', async () => {
    const caller = callerContext();
    server.child.kill('SIGTERM');
    // Readiness fails at once and stays failed through SHUTDOWN_DRAIN_MS.
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 503; attempt += 1) {
      status = (await fetch(`${server.base}/readyz`, { headers: { traceparent: caller.traceparent } })).status;
    }
    expect(status).toBe(503);
    const span = await receiver.waitFor(() =>
      spansOfTrace(caller.traceId).find((s) => s.attributes['http.response.status_code'] === 503),
    );
    expect(span).toMatchObject({ name: 'GET /readyz', statusCode: ERROR });
    expect(span.attributes['error.type']).toBe('503');
  });
});

describe('telemetry over OTLP/HTTP with JSON', () => {
  let observed: ObservedServer;
  let receiver: OtlpReceiver;
  let server: ServerProcess;

  beforeAll(async () => {
    observed = await startObservedServer((otlp) => ({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${otlp.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    }));
    ({ receiver, server } = observed);
  });

  afterAll(() => observed?.dispose());

  it('sends the same spans as JSON, and names the service lockstep by default', async () => {
    const caller = callerContext();
    const input = encodeURIComponent(JSON.stringify({ query: { userId: 1 } }));
    expect((await fetch(`${server.base}/users/1`, { headers: { traceparent: caller.traceparent } })).status).toBe(200);
    expect((await fetch(`${server.base}/trpc/todos.list?input=${input}`)).status).toBe(200);

    const span = await receiver.waitFor(() =>
      receiver.spans.find((s) => s.traceId === caller.traceId && s.kind === SERVER),
    );
    expect(span).toMatchObject({
      name: 'GET /users/:id',
      parentSpanId: caller.parentId,
      encoding: 'json',
      service: 'lockstep',
    });
    // Sampled without a caller too (always_on): a new trace, a root span.
    const root = await receiver.waitFor(() => receiver.spans.find((s) => s.name === 'GET /trpc/:procedure'));
    expect(root.parentSpanId).toBe('');
    await receiver.waitFor(() => receiver.spans.find((s) => s.name === 'todos.list' && s.parentSpanId === root.spanId));
  });
});

describe('contract conformance in production (RESPONSE_VALIDATION_SAMPLE)', () => {
  let observed: ObservedServer;

  beforeAll(async () => {
    observed = await startObservedServer((otlp) => ({
      LOG_LEVEL: 'error',
      RESPONSE_VALIDATION_SAMPLE: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRIC_EXPORT_INTERVAL: '200',
    }));
  });

  afterAll(() => observed?.dispose());

  it('logs a response the contract does not allow once per route and status, counts each, and sends it unchanged', async () => {
    // A row the contract's schema refuses (an empty title), written behind the API's back.
    const db = await openDatabase(observed.databaseUrl);
    await db.write.updateTable('todos').set({ title: '' }).where('id', '=', 3).execute();
    await db.close();

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${observed.server.base}/todos/3`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 3, title: '' });
    }
    const counted = () =>
      observed.receiver.metrics
        .filter((metric) => metric.name === 'lockstep.contract.violations')
        .flatMap((metric) => metric.points)
        .find((point) => point.attributes['http.route'] === '/todos/:id' && point.value === 3);
    expect((await observed.receiver.waitFor(counted)).attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
    const reports = observed.logLines.filter(
      (line) => line.msg === 'response does not match the contract (sent unchanged)',
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.violation).toEqual({
      method: 'GET',
      route: '/todos/:id',
      status: 200,
      issues: [expect.stringMatching(/^title: /)],
    });
  });
});
