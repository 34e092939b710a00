import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const telemetryOf = (env: Record<string, string>) => loadConfig(env).telemetry;

describe('telemetry settings from the environment', () => {
  it('is off unless an exporter, an OTLP endpoint or METRICS_PORT is set', () => {
    expect(telemetryOf({})).toEqual({ traces: false, metricExporters: [], metricsPort: undefined });
    expect(telemetryOf({ OTEL_SERVICE_NAME: 'api', OTEL_TRACES_SAMPLER: 'always_on' }).traces).toBe(false);
  });

  it('turns traces and OTLP metrics on with an endpoint, each off again with `none`', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(telemetryOf(endpoint)).toEqual({ traces: true, metricExporters: ['otlp'], metricsPort: undefined });
    expect(telemetryOf({ ...endpoint, OTEL_METRICS_EXPORTER: 'none' }).metricExporters).toEqual([]);
    expect(telemetryOf({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).traces).toBe(false);
    expect(telemetryOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toMatchObject({
      traces: true,
      metricExporters: [],
    });
    expect(telemetryOf({ ...endpoint, OTEL_SDK_DISABLED: 'true', METRICS_PORT: '9464' })).toEqual({
      traces: false,
      metricExporters: [],
      metricsPort: undefined,
    });
  });

  it('serves Prometheus on METRICS_PORT, or on the standard port when the exporter is named', () => {
    expect(telemetryOf({ METRICS_PORT: '9100' })).toEqual({ traces: false, metricExporters: [], metricsPort: 9100 });
    expect(telemetryOf({ OTEL_METRICS_EXPORTER: 'prometheus,otlp' })).toEqual({
      traces: false,
      metricExporters: ['otlp'],
      metricsPort: 9464,
    });
  });

  it('refuses what the SDK would only warn about: an unknown exporter, gRPC, a bad sample', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(message({ OTEL_TRACES_EXPORTER: 'jaeger' })).toMatch(/OTEL_TRACES_EXPORTER: must list exporters among/);
    expect(message({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL: .*grpc is not/);
    expect(message({ RESPONSE_VALIDATION_SAMPLE: '1.5' })).toMatch(
      /RESPONSE_VALIDATION_SAMPLE: must be a number from 0 to 1/,
    );
    expect(message({ METRICS_PORT: '70000' })).toMatch(/METRICS_PORT/);
  });

  it('checks every response under test and none elsewhere unless RESPONSE_VALIDATION_SAMPLE says', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).responseValidationSample).toBe(1);
    expect(loadConfig({ NODE_ENV: 'production' }).responseValidationSample).toBe(0);
    expect(loadConfig({ NODE_ENV: 'production', RESPONSE_VALIDATION_SAMPLE: '0.01' }).responseValidationSample).toBe(
      0.01,
    );
  });
});
