/**
 * HTTP benchmark: what does the whole lockstep stack cost per request, against baselines measured
 * in the same invocation on copies of the same seeded database?
 *
 *   pnpm build && pnpm bench:http
 *   BENCH_CONNECTIONS=50 BENCH_REQUESTS=20000 BENCH_WRITE_REQUESTS=5000 BENCH_MIXED_SECONDS=60 pnpm bench:http
 *
 * Servers, each its own process on loopback:
 *   (a) bare express     baselines/bare-express.ts: Express + prepared better-sqlite3 statements
 *   (b) minimal ts-rest  baselines/minimal-ts-rest.ts: ts-rest + Express + Prisma, as their docs
 *                        show it (request validation; no logging, auth or ETags)
 *   (c) lockstep         the built server exactly as `pnpm start` runs it (request logging at
 *                        info, security headers, access checks, ETags), its log sent to /dev/null
 *   (d) json-server      0.17, the learning tool, on JSONPlaceholder's db.json, for the routes it
 *                        shares (it keeps everything in memory and rewrites the file on writes)
 *   (e) lockstep on      the same server on a throwaway database of the local PostgreSQL
 *       PostgreSQL       (BENCH_POSTGRES_URL's server) holding the same rows; dropped afterwards.
 *                        BENCH_POSTGRES=0 leaves it out.
 *   (f) lockstep,        (c) with every telemetry signal on: spans for every request (sampler
 *       telemetry on     always_on, query spans included) and metrics, exported over OTLP/HTTP
 *                        (protobuf) to a receiver on loopback that decodes and counts them, plus
 *                        the Prometheus listener. Its CPU per request ÷ (c)'s is telemetry's cost.
 *   (g) lockstep,        (f) with a production sampler: parentbased_traceidratio, 1 trace in 10
 *       traces sampled   (metrics still see every request).
 *   (h) lockstep, no     (c) with the usage ledger off (USAGE_RETENTION_DAYS=0): (c)'s CPU per
 *       usage ledger     request ÷ (h)'s is the ledger's cost.
 *
 * Telemetry's and the ledger's costs are then measured again, interleaved: (c), (f), (g) and (h)
 * run side by side on copies of the database, and `GET /todos/1` and `POST /todos` are sent to
 * them in alternating bursts (BENCH_INTERLEAVED_ROUNDS rounds, each server's turn in a new order
 * each round), so a change in the machine's speed during the run (it is shared) falls on all
 * alike. It prints each one's CPU per request over all rounds and the median of the per-round
 * ratios. Every lockstep request there names a consumer version (`X-Contract-Version`), as the
 * typed client's do. BENCH_INTERLEAVED_ROUNDS=0 leaves it out.
 *
 * With (f) in the run, it also prints the floor under telemetry's ratio: the OpenTelemetry SDK's
 * own CPU per span (`span-price.ts`: the SDK as lockstep starts it, in a process of its own)
 * times the spans (f) exported per request of each scenario, plus its CPU for one record of the
 * request-duration histogram, against (c)'s CPU per request.
 *
 * For each server and scenario it prints req/s, p50 and p99 latency, the server's CPU time per
 * request (from /proc/<pid>/stat, steadier than req/s on a shared machine), the ratios to (a)
 * and (b), and each server's resident memory after start, after the scenarios, through a
 * mixed load of them all (BENCH_MIXED_SECONDS, 60 by default; 0 leaves it out) and after idling
 * 10 s. Figures from different runs are not comparable; ratios within one run are.
 *
 * While working on one path: BENCH_TARGETS=bare,minimal,lockstep runs only those servers (names
 * as in TargetName) and BENCH_SCENARIOS=tRPC,PATCH only the scenarios whose names contain one of
 * those words (a ratio whose baseline was left out shows n/a).
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { consumerOf } from '@lockstep/contract';
import {
  advanceIdSequences,
  fixturePath,
  openDatabase,
  openMigratedDatabase,
  throwawayPostgresqlDatabase,
} from '@lockstep/db';
import { startOtlpReceiver } from '@lockstep/server/otlp-receiver';
import { freePort, type ServerProcess, startScript, startServerProcess } from '@lockstep/server/process';
import { UsageLedger } from '@lockstep/server/usage-ledger';
import autocannon from 'autocannon';
import { type Fixtures, seededDatabase } from './fixtures.js';
import { BENCH_POSTGRESQL_SERVER, cpuMicros, rssBytes } from './process-stats.js';
import { type SdkPrice, sdkPrice } from './span-price.js';
import { percentile, printTable, ratio } from './table.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const readRequests = Number(process.env.BENCH_REQUESTS ?? 20_000);
const writeRequests = Number(process.env.BENCH_WRITE_REQUESTS ?? 5_000);
const WARMUP_REQUESTS = 2_000;
/** The mixed load after the scenarios, whose resident memory is reported (the 60 s). */
const mixedSeconds = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
/** How long the server idles after the mixed load before its resident memory is read again. */
const IDLE_SECONDS = 10;

type TargetName =
  | 'bare'
  | 'minimal'
  | 'lockstep'
  | 'json-server'
  | 'lockstep-postgresql'
  | 'lockstep-telemetry'
  | 'lockstep-sampled'
  | 'lockstep-no-ledger';

interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A path drawn anew for every request sent (a random id), instead of `path`. */
  drawPath?: () => string;
}

interface Scenario {
  name: string;
  writes: boolean;
  /** The scenario whose baseline figures this one is divided by (tRPC: the same read over REST). */
  baseline?: string;
  /**
   * The requests for a server, which every connection sends in turn (one, or a cycle such as
   * nine reads and a write), or undefined where the server has no such route.
   */
  request(target: TargetName, fixtures: Fixtures): BenchRequest | BenchRequest[] | undefined;
  /** Run once before measuring, to make every measured request answer alike (see PATCH). */
  prepare?(server: ServerProcess, target: TargetName): Promise<Record<string, string>>;
}

const json = { 'content-type': 'application/json' };
const isLockstep = (target: TargetName) => target.startsWith('lockstep');
const RENAMED = JSON.stringify({ title: 'renamed by the benchmark' });

/** One of the 200 seeded todos, at random: reads that no cache of one row answers. */
const randomTodo = () => `/todos/${1 + Math.floor(Math.random() * 200)}`;
const randomRead: BenchRequest = { method: 'GET', path: '/todos/1', drawPath: randomTodo };
/** A PATCH of a random todo (no If-Match: the row it lands on is not known in advance). */
const randomPatch: BenchRequest = {
  method: 'PATCH',
  path: '/todos/1',
  headers: json,
  body: RENAMED,
  drawPath: randomTodo,
};

const allScenarios: Scenario[] = [
  { name: 'GET /todos/1', writes: false, request: () => ({ method: 'GET', path: '/todos/1' }) },
  { name: 'GET /todos/:id (random id)', writes: false, request: () => randomRead },
  {
    // Each connection sends nine random reads, then a random PATCH: 10% writes.
    name: 'GET /todos/:id + 10% PATCH (random ids)',
    writes: true,
    request: (target) => (target === 'json-server' ? undefined : [...Array(9).fill(randomRead), randomPatch]),
  },
  {
    name: 'GET /todos (100 rows)',
    writes: false,
    request: (target) => ({ method: 'GET', path: target === 'json-server' ? '/todos?_limit=100' : '/todos?limit=100' }),
  },
  {
    name: 'GET /transactions/:id (key)',
    writes: false,
    request: (target, { apiKey, transactionId }) =>
      target === 'json-server'
        ? undefined
        : { method: 'GET', path: `/transactions/${transactionId}`, headers: { authorization: `Bearer ${apiKey}` } },
  },
  {
    name: 'tRPC todos.get',
    writes: false,
    baseline: 'GET /todos/1',
    request: (target) =>
      isLockstep(target)
        ? { method: 'GET', path: `/trpc/todos.get?input=${encodeURIComponent(JSON.stringify({ params: { id: 1 } }))}` }
        : undefined,
  },
  {
    name: 'POST /todos',
    writes: true,
    request: () => ({
      method: 'POST',
      path: '/todos',
      headers: json,
      body: JSON.stringify({ userId: 1, title: 'written by the benchmark', completed: false }),
    }),
  },
  {
    name: 'PATCH /todos/2 (If-Match)',
    writes: true,
    request: () => ({ method: 'PATCH', path: '/todos/2', headers: json, body: RENAMED }),
    // The same patch every time leaves the representation, so its ETag, unchanged: every
    // measured PATCH carries a matching If-Match and succeeds. Only lockstep checks it.
    async prepare(server, target): Promise<Record<string, string>> {
      await fetch(`${server.base}/todos/2`, { method: 'PATCH', headers: json, body: RENAMED });
      if (!isLockstep(target)) return {};
      const tag = (await fetch(`${server.base}/todos/2`)).headers.get('etag');
      if (!tag) throw new Error('GET /todos/2 sent no ETag');
      return { 'if-match': tag };
    },
  },
];

/** BENCH_SCENARIOS's words, or every scenario; a baseline a chosen one is divided by runs too. */
const scenarioWords = process.env.BENCH_SCENARIOS?.split(',').filter(Boolean);
const chosen = (scenario: Scenario) => !scenarioWords || scenarioWords.some((word) => scenario.name.includes(word));
const scenarios = allScenarios.filter(
  (scenario) => chosen(scenario) || allScenarios.some((other) => chosen(other) && other.baseline === scenario.name),
);
if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS=${process.env.BENCH_SCENARIOS} names no scenario`);

const baselineScript = (name: string) => fileURLToPath(new URL(`./baselines/${name}.js`, import.meta.url));
const jsonServerBin = createRequire(import.meta.url).resolve('json-server/lib/cli/bin.js');

interface Target {
  name: TargetName;
  label: string;
  /** Most writes to send it, for a server whose writes slow down as its data grows. */
  maxWrites?: number;
  start(databaseFile: string, dir: string): Promise<TargetServer>;
}

/** A started target; a telemetry target also tells how many spans its receiver has decoded so far. */
type TargetServer = ServerProcess & { spansReceived?: () => number };

/**
 * The seeded SQLite copy's rows in a new PostgreSQL database: JSONPlaceholder's (seeded the same
 * way), then the benchmark's key and transaction with their ids, so every request is the same.
 */
async function postgresqlCopy(seededFile: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const copy = throwawayPostgresqlDatabase('lockstep_bench', BENCH_POSTGRESQL_SERVER);
  const source = await openDatabase(`file:${seededFile}`);
  const { db } = await openMigratedDatabase({ url: copy.url, seed: true });
  try {
    await db.write
      .insertInto('api_keys')
      .values(await source.read.selectFrom('api_keys').selectAll().execute())
      .execute();
    await db.write
      .insertInto('transactions')
      .values(await source.read.selectFrom('transactions').selectAll().execute())
      .execute();
    await advanceIdSequences(db, ['transactions']);
    return copy;
  } finally {
    await Promise.all([db.close(), source.close()]);
  }
}
const allTargets: Target[] = [
  {
    name: 'bare',
    label: '(a) bare express',
    start: (file) => startScript(baselineScript('bare-express'), { DATABASE_FILE: file }),
  },
  {
    name: 'minimal',
    label: '(b) minimal ts-rest + Prisma',
    start: (file) => startScript(baselineScript('minimal-ts-rest'), { DATABASE_FILE: file }),
  },
  {
    name: 'lockstep',
    label: '(c) lockstep',
    start: (file) => startServerProcess(`file:${file}`, { LOG_LEVEL: 'info' }),
  },
  {
    name: 'json-server',
    label: '(d) json-server 0.17',
    // It rewrites its whole JSON file on every write, so each write costs more than the last.
    maxWrites: 1_000,
    async start(_file, dir) {
      const data = join(dir, 'json-server-db.json');
      await copyFile(fixturePath, data);
      return startScript(
        jsonServerBin,
        {},
        {
          args: [data, '--port', '{port}', '--host', '127.0.0.1', '--quiet'],
          readyPath: '/todos/1',
          stdio: 'ignore',
        },
      );
    },
  },
  ...(process.env.BENCH_POSTGRES === '0'
    ? []
    : [
        {
          name: 'lockstep-postgresql' as const,
          label: '(e) lockstep on PostgreSQL',
          async start(file: string) {
            const copy = await postgresqlCopy(file);
            const server = await startServerProcess(copy.url, { LOG_LEVEL: 'info' });
            return {
              ...server,
              stop: async () => {
                await server.stop();
                await copy.drop();
              },
            };
          },
        },
      ]),
];

/** What the telemetry target's receiver counted: its spans, so none were dropped unseen. */
const telemetryReceived = { spans: 0, exports: 0 };
/** Spans (f) exported per request of each scenario, counted by its receiver. */
const spansPerRequest = new Map<string, number>();
/** Longer than (f)'s OTEL_BSP_SCHEDULE_DELAY: its last spans of a scenario have left by then. */
const SPAN_EXPORT_WAIT_MS = 1_500;

/**
 * (f): the server as (c), with traces of every request and metrics exported over OTLP to a
 * loopback receiver, and the Prometheus listener open. The span queue is made deep enough that
 * no span is dropped under load (a dropped span costs nothing, and would flatter the figure).
 */
const telemetryTarget = (name: TargetName, label: string, sampler: Record<string, string>): Target => ({
  name,
  label,
  async start(file) {
    const receiver = await startOtlpReceiver({ keep: false });
    const server = await startServerProcess(`file:${file}`, {
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      ...sampler,
      OTEL_BSP_MAX_QUEUE_SIZE: '200000',
      OTEL_BSP_SCHEDULE_DELAY: '1000',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      METRICS_PORT: String(await freePort()),
    });
    return {
      ...server,
      spansReceived: () => receiver.spanCount,
      stop: async () => {
        await server.stop();
        telemetryReceived.spans += receiver.spanCount;
        telemetryReceived.exports += receiver.exports;
        await receiver.close();
      },
    };
  },
});
allTargets.push(
  telemetryTarget('lockstep-telemetry', '(f) lockstep, telemetry on', { OTEL_TRACES_SAMPLER: 'always_on' }),
  telemetryTarget('lockstep-sampled', '(g) lockstep, 1 in 10 traced', {
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  }),
  {
    name: 'lockstep-no-ledger',
    label: '(h) lockstep, no usage ledger',
    start: (file) => startServerProcess(`file:${file}`, { LOG_LEVEL: 'info', USAGE_RETENTION_DAYS: '0' }),
  },
);

const targetNames = process.env.BENCH_TARGETS?.split(',').filter(Boolean);
const targets = allTargets.filter((target) => !targetNames || targetNames.includes(target.name));
if (targets.length === 0) throw new Error(`BENCH_TARGETS=${process.env.BENCH_TARGETS} names no server`);

interface Figures {
  target: TargetName;
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number;
}

/**
 * Runs autocannon, timed from its first answer to its last. Its own duration, and the moment its
 * promise settles, both fall on its one-second ticker, which would round every req/s figure to
 * `amount / whole seconds` (so unlike servers could show the same figure).
 */
function timedLoad(options: autocannon.Options): Promise<{ result: autocannon.Result; seconds: number }> {
  return new Promise((resolve, reject) => {
    let first = 0;
    let last = 0;
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve({ result, seconds: (last - first) / 1000 }),
    );
    instance.on('response', () => {
      last = performance.now();
      if (first === 0) first = last;
    });
  });
}

/** Requests as autocannon sends them, in turn on each connection. */
const cycle = (requests: BenchRequest[]): autocannon.Request[] =>
  requests.map(({ method, path, headers, body, drawPath }) => ({
    method,
    path,
    ...(headers ? { headers } : {}),
    ...(body ? { body } : {}),
    ...(drawPath ? { setupRequest: (request: autocannon.Request) => ({ ...request, path: drawPath() }) } : {}),
  }));

async function measure(server: ServerProcess, requests: BenchRequest[], amount: number) {
  const options = { url: server.base, requests: cycle(requests), connections };
  const label = requests.map((request) => `${request.method} ${request.path}`).join(', ');
  await autocannon({ ...options, amount: Math.min(amount, WARMUP_REQUESTS) });
  const pid = server.child.pid as number;
  const cpuBefore = cpuMicros(pid);
  const { result, seconds } = await timedLoad({ ...options, amount });
  const cpu = cpuMicros(pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${label} on ${server.base}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequestUs: cpu / result.requests.total,
  };
}

/**
 * `mixedSeconds` of load cycling through `requests` on every connection, the server's RSS sampled
 * each second; any answer but a 2xx fails the run, as in `measure`.
 */
async function mixedLoad(server: ServerProcess, requests: BenchRequest[]) {
  const pid = server.child.pid as number;
  let peakRss = rssBytes(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssBytes(pid));
  }, 1_000);
  try {
    const result = await autocannon({
      url: server.base,
      requests: cycle(requests),
      connections,
      duration: mixedSeconds,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`mixed load on ${server.base}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    console.error(`mixed load on ${server.base}: ${result.requests.total} requests in ${mixedSeconds} s`);
  } finally {
    clearInterval(sampler);
  }
  const finalRss = rssBytes(pid);
  // Then idle: whether the heap V8 grew under load is given back (a leak would stay).
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  return { peakRss: Math.max(peakRss, finalRss), finalRss, idleRss: rssBytes(pid) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-bench-http-'));
  const results: Figures[] = [];
  const memory: string[][] = [];
  let interleaved: string[][] = [];
  let ledgerNs: number | undefined;
  let price: SdkPrice | undefined;
  try {
    const { file: seeded, fixtures } = await seededDatabase(dir);
    const comparisons = COMPARISONS.filter(
      (comparison) =>
        interleavedRounds > 0 &&
        [comparison.off, ...comparison.on].every((name) => targets.some((target) => target.name === name)),
    );
    for (const [index, target] of targets.entries()) {
      const file = join(dir, `copy-${index}.db`);
      await copyFile(seeded, file);
      const server = await target.start(file, dir);
      const pid = server.child.pid as number;
      const startRss = rssBytes(pid);
      try {
        const sent: BenchRequest[] = [];
        for (const scenario of scenarios) {
          const request = scenario.request(target.name, fixtures);
          if (!request) continue;
          const extra = (await scenario.prepare?.(server, target.name)) ?? {};
          const amount = scenario.writes ? Math.min(writeRequests, target.maxWrites ?? writeRequests) : readRequests;
          const prepared = [request].flat().map((each) => ({ ...each, headers: { ...each.headers, ...extra } }));
          sent.push(...prepared);
          const spansBefore = server.spansReceived?.();
          const figures = await measure(server, prepared, amount);
          results.push({ target: target.name, scenario: scenario.name, ...figures });
          if (spansBefore !== undefined && target.name === 'lockstep-telemetry') {
            // Every request of the scenario is traced, its warm-up's too; the last batch leaves within a second.
            await sleep(SPAN_EXPORT_WAIT_MS);
            const sentRequests = Math.min(amount, WARMUP_REQUESTS) + amount;
            spansPerRequest.set(scenario.name, ((server.spansReceived?.() ?? 0) - spansBefore) / sentRequests);
          }
          console.error(`${target.label}, ${scenario.name}: ${Math.round(figures.rps)} req/s`);
        }
        const loadedRss = rssBytes(pid);
        // json-server rewrites its whole file on every write: a mixed load says nothing of it.
        const mixed = target.maxWrites || mixedSeconds <= 0 ? undefined : await mixedLoad(server, sent);
        const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
        memory.push([
          target.label,
          mib(startRss),
          mib(loadedRss),
          mixed ? `${mib(mixed.peakRss)} / ${mib(mixed.finalRss)}` : '–',
          ratio(mixed?.finalRss ?? loadedRss, startRss),
          mixed ? `${mib(mixed.idleRss)} (${ratio(mixed.idleRss, startRss)})` : '–',
        ]);
      } finally {
        await server.stop();
      }
    }
    if (comparisons.length > 0) interleaved = await interleavedCosts(dir, seeded, fixtures, comparisons);
    if (targets.some((target) => target.name === 'lockstep')) ledgerNs = await ledgerWorkNs(dir, seeded);
    if (spansPerRequest.size > 0) price = await sdkPrice();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  printResults(results);
  printTelemetryCost(results);
  if (price !== undefined) printSdkFloor(results, price);
  if (interleaved.length > 0) {
    console.log(
      `\nCosts measured interleaved: ${interleavedRounds} rounds of ${INTERLEAVED_BURST} requests to each server in ` +
        'turn (50 connections); each row: a server with a feature on, against the same server with it off.\n',
    );
    printTable(
      ['cost of', 'server', 'scenario', 'CPU µs/req, off', 'on', 'CPU on ÷ off', 'median of rounds', 'rounds'],
      interleaved,
    );
  }
  if (ledgerNs !== undefined) {
    const get = results.find((row) => row.target === 'lockstep' && row.scenario === 'GET /todos/1');
    console.log(
      `\nThe usage ledger's work per request in one process (the consumer read from its header, then counted): ` +
        `${ledgerNs.toFixed(0)} ns of CPU` +
        (get
          ? `, ${((ledgerNs / 1000 / get.cpuPerRequestUs) * 100).toFixed(2)}% of (c)'s ${Math.round(get.cpuPerRequestUs)} µs per GET /todos/1 above.`
          : '.'),
    );
  }
  console.log('');
  console.log(
    `\nResident memory: after start, after the scenarios, and during (peak) and after a ${mixedSeconds} s mixed ` +
      'load cycling through every scenario the server has (reads and writes); growth: RSS right after that load ÷ ' +
      `after start; then after ${IDLE_SECONDS} s idle (÷ after start).\n`,
  );
  printTable(
    [
      'server',
      'RSS after start',
      'after the scenarios',
      `${mixedSeconds} s mixed: peak / after`,
      'growth',
      `after ${IDLE_SECONDS} s idle`,
    ],
    memory,
  );
}

/**
 * The usage ledger's work per request, in this process: what each front door does for a
 * contract route (read the consumer from its header, count it), with no HTTP around it, so the
 * machine's noise does not drown a figure this small. Nothing is flushed: the database is not
 * touched here.
 */
async function ledgerWorkNs(dir: string, seeded: string): Promise<number> {
  const file = join(dir, 'ledger.db');
  await copyFile(seeded, file);
  const db = await openDatabase(`file:${file}`);
  try {
    const ledger = new UsageLedger(db, { retentionDays: 90, flushMs: 3_600_000, logger: { warn: () => undefined } });
    const routes = ['GET /todos/:id', 'POST /todos', 'GET /users'];
    const headers: Record<string, string | undefined> = { 'x-contract-version': '0.2.0' };
    const count = (times: number) => {
      for (let n = 0; n < times; n += 1)
        ledger.record(consumerOf(headers['x-contract-version']), routes[n % 3] as string);
    };
    count(200_000);
    const calls = 2_000_000;
    const before = process.cpuUsage();
    count(calls);
    const spent = process.cpuUsage(before);
    return ((spent.user + spent.system) * 1000) / calls;
  } finally {
    await db.close();
  }
}

function printResults(results: Figures[]): void {
  const capped = targets.flatMap((target) =>
    target.maxWrites ? [`${target.label}: ${target.maxWrites} at most`] : [],
  );
  console.log(
    `\n${connections} connections; ${readRequests} requests per read scenario, ${writeRequests} per write ` +
      `(${capped.join(', ')}), after up to ${WARMUP_REQUESTS} to warm up; loopback. ÷ (a) and ÷ (b): the ` +
      'figure divided by the bare and minimal baselines’ for the same scenario (for tRPC, their GET /todos/1). ' +
      'req/s: higher is better; CPU: lower is.\n',
  );
  const header = [
    'server',
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'req/s ÷ (a)',
    'req/s ÷ (b)',
    'CPU ÷ (a)',
    'CPU ÷ (b)',
  ];
  const of = (target: TargetName, row: Figures) => {
    const scenario = scenarios.find((s) => s.name === row.scenario)?.baseline ?? row.scenario;
    return results.find((r) => r.target === target && r.scenario === scenario);
  };
  const lines = results.map((row) => {
    const bare = of('bare', row);
    const minimal = of('minimal', row);
    return [
      targets.find((target) => target.name === row.target)?.label ?? row.target,
      row.scenario,
      String(Math.round(row.rps)),
      String(row.p50),
      String(row.p99),
      String(Math.round(row.cpuPerRequestUs)),
      ratio(row.rps, bare?.rps ?? 0),
      ratio(row.rps, minimal?.rps ?? 0),
      ratio(row.cpuPerRequestUs, bare?.cpuPerRequestUs ?? 0),
      ratio(row.cpuPerRequestUs, minimal?.cpuPerRequestUs ?? 0),
    ];
  });
  printTable(header, lines);
}

const interleavedRounds = Number(process.env.BENCH_INTERLEAVED_ROUNDS ?? 10);
const INTERLEAVED_BURST = 2_000;

/** A feature's cost: servers with it on (`on`) against the same server with it off. */
interface Comparison {
  feature: string;
  off: TargetName;
  on: TargetName[];
}
const COMPARISONS: Comparison[] = [
  { feature: 'telemetry', off: 'lockstep', on: ['lockstep-telemetry', 'lockstep-sampled'] },
  { feature: 'usage ledger', off: 'lockstep-no-ledger', on: ['lockstep'] },
];

/** What a typed client of this build sends, so the ledger counts a consumer version as it would. */
const CONSUMER_HEADERS = { 'x-contract-version': '0.2.0' };

interface Totals {
  cpu: number;
  requests: number;
  perRound: number[];
}

/**
 * Every server the comparisons name, side by side, loaded in alternating bursts (see the
 * header), for the two scenarios the targets are stated for. CPU per request is each server's
 * CPU time over the requests it answered, summed over every round.
 */
async function interleavedCosts(
  dir: string,
  seeded: string,
  fixtures: Fixtures,
  comparisons: Comparison[],
): Promise<string[][]> {
  const names = new Set(comparisons.flatMap((comparison) => [comparison.off, ...comparison.on]));
  const chosen = allTargets.filter((target) => names.has(target.name));
  const servers: { target: Target; server: ServerProcess }[] = [];
  const lines: string[][] = [];
  const requestFor = (scenario: Scenario, target: TargetName) =>
    [scenario.request(target, fixtures) as BenchRequest]
      .flat()
      .map((each) => ({ ...each, headers: { ...each.headers, ...CONSUMER_HEADERS } }));
  try {
    for (const [index, target] of chosen.entries()) {
      const file = join(dir, `interleaved-${index}.db`);
      await copyFile(seeded, file);
      servers.push({ target, server: await target.start(file, dir) });
    }
    for (const name of ['GET /todos/1', 'POST /todos']) {
      const scenario = allScenarios.find((each) => each.name === name) as Scenario;
      const totals = new Map<TargetName, Totals>();
      for (const { target, server } of servers) {
        await autocannon({
          url: server.base,
          requests: cycle(requestFor(scenario, target.name)),
          connections,
          amount: WARMUP_REQUESTS,
        });
        totals.set(target.name, { cpu: 0, requests: 0, perRound: [] });
      }
      for (let round = 0; round < interleavedRounds; round += 1) {
        // A new order each round: none is always first after a pause, or always last.
        const order = servers.map((_, index) => servers[(index + round) % servers.length] as (typeof servers)[number]);
        for (const { target, server } of order) {
          const pid = server.child.pid as number;
          const before = cpuMicros(pid);
          const result = await autocannon({
            url: server.base,
            requests: cycle(requestFor(scenario, target.name)),
            connections,
            amount: INTERLEAVED_BURST,
          });
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name} on ${target.label}: failures`);
          const total = totals.get(target.name) as Totals;
          const cpu = cpuMicros(pid) - before;
          total.cpu += cpu;
          total.requests += result.requests.total;
          total.perRound.push(cpu / result.requests.total);
        }
      }
      for (const comparison of comparisons) {
        const off = totals.get(comparison.off) as Totals;
        for (const onName of comparison.on) {
          const on = totals.get(onName) as Totals;
          const ratios = on.perRound.map((each, round) => each / (off.perRound[round] as number));
          lines.push([
            comparison.feature,
            allTargets.find((target) => target.name === onName)?.label ?? onName,
            name,
            String(Math.round(off.cpu / off.requests)),
            String(Math.round(on.cpu / on.requests)),
            ratio(on.cpu / on.requests, off.cpu / off.requests),
            `${percentile(
              [...ratios].sort((x, y) => x - y),
              0.5,
            ).toFixed(2)}×`,
            `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
          ]);
        }
      }
    }
  } finally {
    for (const { server } of servers) await server.stop();
  }
  return lines;
}

/** Telemetry's cost: (f)'s and (g)'s CPU per request ÷ (c)'s, scenario by scenario, from this one run. */
function printTelemetryCost(results: Figures[]): void {
  const off = (scenario: string) => results.find((r) => r.target === 'lockstep' && r.scenario === scenario);
  const lines = results
    .filter((row) => (row.target === 'lockstep-telemetry' || row.target === 'lockstep-sampled') && off(row.scenario))
    .map((row) => {
      const without = off(row.scenario) as Figures;
      return [
        row.target === 'lockstep-telemetry' ? '(f) always_on' : '(g) 1 in 10',
        row.scenario,
        String(Math.round(without.cpuPerRequestUs)),
        String(Math.round(row.cpuPerRequestUs)),
        ratio(row.cpuPerRequestUs, without.cpuPerRequestUs),
        ratio(row.rps, without.rps),
      ];
    });
  if (lines.length === 0) return;
  console.log(
    `\nTelemetry's cost: (f) and (g) ÷ (c). Their receivers decoded ${telemetryReceived.spans} spans in ` +
      `${telemetryReceived.exports} exports.\n`,
  );
  printTable(['telemetry', 'scenario', 'CPU µs/req, off', 'on', 'CPU on ÷ off', 'req/s on ÷ off'], lines);
}

/**
 * The floor under (f)'s ratio: what the OpenTelemetry SDK alone costs each traced request, its
 * price per span times the spans (f) exported per request, plus one duration record (both
 * measured in a process of its own, `span-price.ts`), against (c)'s CPU per request for the same
 * scenario in this run.
 */
function printSdkFloor(results: Figures[], { microsPerSpan, microsPerRecord }: SdkPrice): void {
  const lines = [...spansPerRequest].flatMap(([scenario, spans]) => {
    const off = results.find((row) => row.target === 'lockstep' && row.scenario === scenario);
    if (!off) return [];
    const floor = microsPerSpan * spans + microsPerRecord;
    return [
      [
        scenario,
        spans.toFixed(2),
        floor.toFixed(1),
        String(Math.round(off.cpuPerRequestUs)),
        `${(1 + floor / off.cpuPerRequestUs).toFixed(2)}×`,
      ],
    ];
  });
  console.log(
    `\nThe OpenTelemetry SDK's own price, started as lockstep starts it (always_on, batched, OTLP/HTTP protobuf to ` +
      'a loopback receiver, metrics over OTLP and on a Prometheus listener) in a process of its own with no server: ' +
      `${microsPerSpan.toFixed(1)} µs of CPU to make, end and export a span, ${microsPerRecord.toFixed(1)} µs to record ` +
      "a request's duration. Times the spans (f) exported per request, plus one record, it is what telemetry costs a " +
      "request before any of lockstep's own work: (f) ÷ (c) cannot fall below the floor.\n",
  );
  printTable(['scenario', 'spans per request (f)', 'SDK µs/req', '(c) CPU µs/req', 'floor of (f) ÷ (c)'], lines);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
