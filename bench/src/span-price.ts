/**
 * The OpenTelemetry SDK's own price per traced request, with no server around it: the SDK started
 * exactly as lockstep starts it (`startTelemetry`: always_on, the batch span processor, OTLP/HTTP
 * protobuf, metrics over OTLP and on a Prometheus listener, as bench:http's (f)), in a process of
 * its own. Two prices: a span (made as a traced GET /todos/1's are, its server span and its
 * query's, with their attributes, ended and exported to a receiver on loopback) and a record of
 * the request-duration histogram (lockstep's own instrument, `ServerMetrics`, with a GET's
 * attributes). Whatever lockstep does around them, a traced request costs at least its spans'
 * price plus one record's.
 *
 * `bench:http` calls `sdkPrice()`, which runs this file as a child process; run alone, the file
 * is that child: it prints `{ "microsPerSpan": …, "microsPerRecord": … }` and exits.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@lockstep/server/otlp-receiver';
import { freePort } from '@lockstep/server/process';
import { ServerMetrics } from '@lockstep/server/telemetry-instruments';
import { startTelemetry } from '@lockstep/server/telemetry-sdk';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

const WARMUP_PAIRS = 5_000;
const MEASURED_PAIRS = 20_000;
const WARMUP_RECORDS = 20_000;
const MEASURED_RECORDS = 200_000;
/**
 * Pairs made in one burst: a batch of 512 spans, the processor's export size. A pause follows,
 * so each batch is sent before the next fills (made faster than a receiver takes them, spans
 * would pile up and the shutdown's flush would send them all at once, past the exporter's limit
 * of concurrent exports). The pause is idle time, not CPU.
 */
const PAIRS_PER_BURST = 256;
const PAUSE_MS = 10;

/** A request's span and its query's child span, named, attributed and ended as lockstep's are. */
async function makeSpans(pairs: number): Promise<void> {
  const tracer = trace.getTracer('@lockstep/server');
  for (let n = 0; n < pairs; n += 1) {
    const request = tracer.startSpan(
      'GET',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'GET', 'url.path': `/todos/${(n % 200) + 1}`, 'url.scheme': 'http' },
      },
      ROOT_CONTEXT,
    );
    const ended = performance.timeOrigin + performance.now();
    const query = tracer.startSpan(
      'SELECT todos',
      {
        kind: SpanKind.CLIENT,
        startTime: ended - 0.05,
        attributes: {
          'db.system.name': 'sqlite',
          'db.operation.name': 'SELECT',
          'db.query.summary': 'SELECT todos',
          'db.collection.name': 'todos',
        },
      },
      trace.setSpan(ROOT_CONTEXT, request),
    );
    query.end(ended);
    request.updateName('GET /todos/:id');
    request.setAttribute('http.response.status_code', 200);
    request.setAttribute('http.route', '/todos/:id');
    request.end();
    if (n % PAIRS_PER_BURST === PAIRS_PER_BURST - 1) await sleep(PAUSE_MS);
  }
}

/** A request-duration record as a GET /todos/1's: its attributes made per request, as the server does. */
function recordDurations(metrics: ServerMetrics, records: number): void {
  for (let n = 0; n < records; n += 1) {
    metrics.requestDuration.record(0.0002 + (n % 50) / 100_000, {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'http.route': '/todos/:id',
    });
  }
}

/** CPU in µs that `work` takes, per unit of `units`. */
async function cpuPer(units: number, work: () => Promise<void> | void): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / units;
}

/**
 * The child: CPU per span from the first span made to the last one exported (the SDK's shutdown
 * flushes), and CPU per histogram record.
 */
async function measureInThisProcess(): Promise<void> {
  const telemetry = await startTelemetry(
    { traces: true, metricExporters: ['otlp'], metricsPort: await freePort() },
    '127.0.0.1',
  );
  const metrics = new ServerMetrics({ feedSubscribers: () => 0, poolUse: () => undefined });
  recordDurations(metrics, WARMUP_RECORDS);
  const microsPerRecord = await cpuPer(MEASURED_RECORDS, () => recordDurations(metrics, MEASURED_RECORDS));
  await makeSpans(WARMUP_PAIRS);
  // The warm-up's spans leave before the measured ones are made (the schedule delay is short).
  await sleep(1_000);
  const microsPerSpan = await cpuPer(2 * MEASURED_PAIRS, async () => {
    await makeSpans(MEASURED_PAIRS);
    await telemetry.shutdown();
  });
  process.stdout.write(`${JSON.stringify({ microsPerSpan, microsPerRecord })}\n`);
}

/** What the SDK costs a traced request: each span it makes, and its one duration record. */
export interface SdkPrice {
  microsPerSpan: number;
  microsPerRecord: number;
}

/**
 * Runs this file in a process of its own, exporting to a receiver in this one (so the decoding
 * is not counted), and answers the SDK's prices in µs of CPU. Fails unless every span and every
 * record arrived.
 */
export async function sdkPrice(): Promise<SdkPrice> {
  const receiver = await startOtlpReceiver();
  try {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_SAMPLER: 'always_on',
        // As bench:http's (f): a queue no span overflows, exports at least every second.
        OTEL_BSP_MAX_QUEUE_SIZE: '200000',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`span-price exited with ${code}`);
    const expected = 2 * (WARMUP_PAIRS + MEASURED_PAIRS);
    if (receiver.spanCount !== expected)
      throw new Error(`span-price: the receiver decoded ${receiver.spanCount} spans of ${expected}`);
    // The shutdown's last metrics export holds every record (cumulative).
    const recorded = receiver.metrics
      .filter((metric) => metric.name === 'http.server.request.duration')
      .reduce((most, metric) => Math.max(most, ...metric.points.map((point) => point.value)), 0);
    if (recorded !== WARMUP_RECORDS + MEASURED_RECORDS)
      throw new Error(`span-price: the receiver counted ${recorded} records of ${WARMUP_RECORDS + MEASURED_RECORDS}`);
    return JSON.parse(output) as SdkPrice;
  } finally {
    await receiver.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  measureInThisProcess().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
