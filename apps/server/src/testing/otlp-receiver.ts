import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/**
 * An OTLP/HTTP receiver for tests: it accepts what an OpenTelemetry SDK exports to `/v1/traces`
 * and `/v1/metrics`, in either encoding (`application/x-protobuf` or `application/json`), and
 * decodes it itself, so a test asserts on what actually went over the wire.
 */

/** The part of the OTLP protobuf schema (opentelemetry-proto, v1) these tests read; field numbers as upstream. */
const OTLP_SCHEMA = `
syntax = "proto3";
package otlp;
message AnyValue {
  oneof value {
    string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message InstrumentationScope { string name = 1; string version = 2; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  double as_double = 4; sfixed64 as_int = 6;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  fixed64 count = 4; optional double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7;
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message Metric { string name = 1; string description = 2; string unit = 3; Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
`;

const schema = protobuf.parse(OTLP_SCHEMA).root;
const TraceRequest = schema.lookupType('otlp.ExportTraceServiceRequest');
const MetricsRequest = schema.lookupType('otlp.ExportMetricsServiceRequest');

export type AttributeValue = string | number | boolean | AttributeValue[] | undefined;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, AttributeValue>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  service: string;
  /** Which encoding it arrived in. */
  encoding: 'protobuf' | 'json';
}

export interface ReceivedPoint {
  attributes: Record<string, AttributeValue>;
  /** A sum's or gauge's value; a histogram's count. */
  value: number;
  explicitBounds?: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram';
  points: ReceivedPoint[];
  encoding: 'protobuf' | 'json';
}

// The decoded messages, in protobufjs's object form or OTLP/JSON's, which share their camelCase names.
interface Wire {
  [key: string]: unknown;
}

const hex = (value: unknown): string =>
  value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'string' ? value : '';

function attributeValue(any: Wire | undefined): AttributeValue {
  if (!any) return undefined;
  if ('stringValue' in any) return any.stringValue as string;
  if ('boolValue' in any) return any.boolValue as boolean;
  if ('intValue' in any) return Number(any.intValue);
  if ('doubleValue' in any) return Number(any.doubleValue);
  if ('arrayValue' in any) return ((any.arrayValue as Wire).values as Wire[] | undefined)?.map(attributeValue) ?? [];
  return undefined;
}

function attributesOf(list: unknown): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of (list as { key: string; value: Wire }[] | undefined) ?? [])
    attributes[key] = attributeValue(value);
  return attributes;
}

const array = (value: unknown): Wire[] => (value as Wire[] | undefined) ?? [];

function spansOf(request: Wire, encoding: ReceivedSpan['encoding']): ReceivedSpan[] {
  return array(request.resourceSpans).flatMap((resourceSpans) => {
    const service = String(attributesOf((resourceSpans.resource as Wire | undefined)?.attributes)['service.name']);
    return array(resourceSpans.scopeSpans).flatMap((scope) =>
      array(scope.spans).map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        name: String(span.name),
        kind: Number(span.kind ?? 0),
        attributes: attributesOf(span.attributes),
        statusCode: Number((span.status as Wire | undefined)?.code ?? 0),
        service,
        encoding,
      })),
    );
  });
}

function metricsOf(request: Wire, encoding: ReceivedMetric['encoding']): ReceivedMetric[] {
  return array(request.resourceMetrics).flatMap((resource) =>
    array(resource.scopeMetrics).flatMap((scope) =>
      array(scope.metrics).map((metric) => {
        const kind = (['histogram', 'sum', 'gauge'] as const).find((name) => metric[name]) ?? 'gauge';
        const points = array((metric[kind] as Wire | undefined)?.dataPoints).map((point) => ({
          attributes: attributesOf(point.attributes),
          value: Number(kind === 'histogram' ? point.count : (point.asDouble ?? point.asInt ?? 0)),
          ...(kind === 'histogram' ? { explicitBounds: array(point.explicitBounds).map(Number) } : {}),
        }));
        return { name: String(metric.name), unit: String(metric.unit ?? ''), kind, points, encoding };
      }),
    ),
  );
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface OtlpReceiver {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  /** Every span received (none kept when started with `keep: false`; `spanCount` counts them all). */
  spans: ReceivedSpan[];
  spanCount: number;
  /** Export requests received, traces and metrics. */
  exports: number;
  /** Every metric of every export, oldest first (each export repeats the cumulative totals). */
  metrics: ReceivedMetric[];
  /** Resolves once `check` holds for what has arrived; fails after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** `keep: false` decodes and counts but keeps nothing: a benchmark's sink that must not grow. */
export async function startOtlpReceiver({ keep = true }: { keep?: boolean } = {}): Promise<OtlpReceiver> {
  const receiver: OtlpReceiver = {
    url: '',
    spans: [],
    spanCount: 0,
    exports: 0,
    metrics: [],
    async waitFor(check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = check();
        if (found !== undefined && found !== false) return found;
        if (Date.now() > deadline) throw new Error('the expected telemetry did not arrive');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = createServer((req, res) => {
    receiver.exports += 1;
    bodyOf(req).then(
      (body) => {
        const json = String(req.headers['content-type']).startsWith('application/json');
        const encoding = json ? 'json' : 'protobuf';
        const decode = (type: protobuf.Type): Wire =>
          json
            ? (JSON.parse(body.toString('utf8')) as Wire)
            : (type.toObject(type.decode(body), { longs: Number }) as Wire);
        if (req.url === '/v1/traces') {
          const received = spansOf(decode(TraceRequest), encoding);
          receiver.spanCount += received.length;
          if (keep) receiver.spans.push(...received);
        } else if (req.url === '/v1/metrics') {
          const received = metricsOf(decode(MetricsRequest), encoding);
          if (keep) receiver.metrics.push(...received);
        } else {
          res.writeHead(404).end();
          return;
        }
        // An empty export response, in the encoding asked in.
        if (json) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      },
      () => res.writeHead(400).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}`;
  return receiver;
}
