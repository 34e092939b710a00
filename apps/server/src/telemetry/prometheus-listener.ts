import { createServer, type Server } from 'node:http';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** The Prometheus text exposition format, version 0.0.4. */
const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

/** UCUM units as Prometheus names them in a metric's suffix (OpenTelemetry's compatibility spec). */
const UNIT_SUFFIXES: Record<string, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  '1': 'ratio',
};

/**
 * The metric names Prometheus users expect: the unit as a suffix (`http.server.request.duration`
 * in seconds is `http_server_request_duration_seconds`), as OpenTelemetry's Prometheus
 * compatibility rules say. Annotations in braces (`{request}`) are no unit. The OTLP export
 * keeps the semantic conventions' names; only this rendering adds the suffix, which the
 * official serializer leaves out.
 */
function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map((metric) => {
        const suffix = UNIT_SUFFIXES[metric.descriptor.unit];
        return suffix && !metric.descriptor.name.endsWith(`.${suffix}`)
          ? { ...metric, descriptor: { ...metric.descriptor, name: `${metric.descriptor.name}.${suffix}` } }
          : metric;
      }),
    })),
  };
}

/**
 * A pull reader answering Prometheus scrapes on a listener of its own (METRICS_PORT): `GET
 * /metrics` collects every instrument at that moment and renders it with the official
 * serializer; anything else is a 404. It is never mounted on the API's port, so metrics are
 * not public by accident.
 */
export class PrometheusListener extends MetricReader {
  private readonly server: Server;
  private readonly serializer = new PrometheusSerializer();

  constructor() {
    super();
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://metrics').pathname !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
        return;
      }
      this.collect().then(
        ({ resourceMetrics }) => {
          res
            .writeHead(200, { 'content-type': TEXT_FORMAT })
            .end(this.serializer.serialize(withUnitSuffixes(resourceMetrics)));
        },
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('Collecting metrics failed\n'),
      );
    });
  }

  /** Listens on `host:port`; a port in use fails here, so the server's start fails with the reason. */
  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) =>
        reject(new Error(`Cannot serve metrics on ${host}:${port} (METRICS_PORT): ${error.message}`));
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
  }

  protected override async onShutdown(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected override async onForceFlush(): Promise<void> {}
}
