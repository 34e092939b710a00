import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * The trace and span a log line was written in, when tracing is on and a span is active (a
 * request's, a query's), so a line leads to its trace and back. Nothing otherwise.
 */
export function traceFields(span = trace.getActiveSpan()): { trace_id?: string; span_id?: string } {
  if (!span) return {};
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}

/**
 * Structured JSON logs on stdout; secrets in headers never reach them. With tracing on, every
 * line written inside a span names it; without, no line pays for the lookup.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'telemetry'>): Logger {
  return pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    ...(config.telemetry.traces ? { mixin: () => traceFields() } : {}),
  });
}
