import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ConsoleMetricExporter, type IMetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { StackContextManager } from '@opentelemetry/sdk-trace';
import type { TelemetrySettings } from '../config.js';
import { SHARED_AGGREGATION_VIEWS } from './instruments.js';
import { PrometheusListener } from './prometheus-listener.js';

/** The OpenTelemetry SDK as this process runs it: what is on, and how to flush and stop it. */
export interface TelemetrySdk {
  /** Spans are recorded and exported. */
  readonly traces: boolean;
  /** Some metric reader collects (OTLP, console or Prometheus). */
  readonly metrics: boolean;
  /** Exports what is buffered and stops every exporter, the Prometheus listener included. */
  shutdown(): Promise<void>;
}

/** The service's name in every exported signal unless OTEL_SERVICE_NAME (or a service.name resource attribute) says otherwise. */
const DEFAULT_SERVICE_NAME = 'lockstep';

/** How often metrics are pushed over OTLP: OTEL_METRIC_EXPORT_INTERVAL, else the spec's 60 s. */
function exportIntervalMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return Number.isInteger(value) && value > 0 ? value : 60_000;
}

/**
 * The metric readers the settings ask for. NodeSDK picks readers from OTEL_METRICS_EXPORTER
 * only when it is given none, and lockstep adds one of its own (Prometheus on METRICS_PORT), so
 * the OTLP and console readers are chosen here, from the same variables and with the same
 * defaults the SDK uses.
 */
async function metricReaders(
  settings: TelemetrySettings,
  host: string,
  env: NodeJS.ProcessEnv,
): Promise<IMetricReader[]> {
  const readers: IMetricReader[] = [];
  const periodic = { exportIntervalMillis: exportIntervalMs(env) };
  for (const exporter of settings.metricExporters) {
    if (exporter === 'console') {
      readers.push(new PeriodicExportingMetricReader({ ...periodic, exporter: new ConsoleMetricExporter() }));
      continue;
    }
    const protocol = env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
    const otlp = protocol === 'http/json' ? new OtlpJsonMetricExporter() : new OtlpProtobufMetricExporter();
    readers.push(new PeriodicExportingMetricReader({ ...periodic, exporter: otlp }));
  }
  if (settings.metricsPort !== undefined) {
    // Its own listener, never the API's port, so /metrics is not public by accident.
    const prometheus = new PrometheusListener();
    await prometheus.listen(settings.metricsPort, host);
    readers.push(prometheus);
  }
  return readers;
}

/** Telemetry that is off: nothing registered, the OpenTelemetry API stays its no-op self. */
const OFF: TelemetrySdk = { traces: false, metrics: false, shutdown: async () => {} };

/**
 * Starts the OpenTelemetry SDK for this process, configured by the standard OTEL_* variables
 * (exporter, OTLP endpoint and protocol, sampler, propagators, resource) plus METRICS_PORT.
 * When the settings turn nothing on, nothing is registered and the API's no-ops stay in place.
 *
 * No instrumentation library is loaded: lockstep makes its spans itself, named by the contract's
 * routes (see `http-telemetry.ts`, `query-spans.ts`), rather than patching `http` and Express,
 * and hands each its parent, so OpenTelemetry's active context is never relied on.
 */
export async function startTelemetry(
  settings: TelemetrySettings,
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TelemetrySdk> {
  const readers = await metricReaders(settings, host, env);
  if (!settings.traces && readers.length === 0) return OFF;
  const named = env.OTEL_SERVICE_NAME || /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    ...(named ? {} : { serviceName: DEFAULT_SERVICE_NAME }),
    metricReaders: readers,
    views: SHARED_AGGREGATION_VIEWS,
    // Given, the SDK builds no span processor of its own: none while traces are off (its default
    // exporter would otherwise be OTLP); from OTEL_TRACES_EXPORTER when they are on.
    ...(settings.traces ? {} : { spanProcessors: [] }),
    // lockstep's logs are pino lines on stdout, not OpenTelemetry log records.
    logRecordProcessors: [],
    // Every span's parent is passed explicitly (the request's span lives in its context), so no
    // async context is tracked: the SDK's default, AsyncLocalStorage, costs every promise of the
    // process a hook on Node 20 — measured at a third of tracing's cost on a read.
    contextManager: new StackContextManager(),
  });
  sdk.start();
  return {
    traces: settings.traces,
    metrics: readers.length > 0,
    async shutdown() {
      await sdk.shutdown();
      // The API's globals go back to no-ops, so a later start in the same process registers anew.
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}
