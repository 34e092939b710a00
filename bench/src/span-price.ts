/**
 * The OpenTelemetry SDK's own price per span, with no server around it: the SDK started exactly
 * as lockstep starts it (`startTelemetry`: always_on, the batch span processor, OTLP/HTTP
 * protobuf), in a process of its own, making spans shaped as a traced GET /todos/1's (its server
 * span and its query's, with their attributes), ending them and exporting every one to a receiver
 * on loopback. Whatever lockstep does around its spans, each costs a traced request at least this.
 *
 * `bench:http` calls `spanPrice()`, which runs this file as a child process; run alone, the file
 * is that child: it prints `{ "microsPerSpan": … }` and exits.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@lockstep/server/otlp-receiver';
import { startTelemetry } from '@lockstep/server/telemetry-sdk';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

const WARMUP_PAIRS = 5_000;
const MEASURED_PAIRS = 20_000;
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

/** The child: CPU per span from the first span made to the last one exported (the SDK's shutdown flushes). */
async function measureInThisProcess(): Promise<void> {
  const telemetry = await startTelemetry({ traces: true, metricExporters: [], metricsPort: undefined }, '127.0.0.1');
  await makeSpans(WARMUP_PAIRS);
  // The warm-up's spans leave before the measured ones are made (the schedule delay is short).
  await sleep(1_000);
  const before = process.cpuUsage();
  await makeSpans(MEASURED_PAIRS);
  await telemetry.shutdown();
  const spent = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ microsPerSpan: (spent.user + spent.system) / (2 * MEASURED_PAIRS) })}\n`);
}

/**
 * Runs this file in a process of its own, exporting to a receiver in this one (so the decoding
 * is not counted), and answers the SDK's CPU per span in µs. Fails unless every span arrived.
 */
export async function spanPrice(): Promise<number> {
  const receiver = await startOtlpReceiver({ keep: false });
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
    return (JSON.parse(output) as { microsPerSpan: number }).microsPerSpan;
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
