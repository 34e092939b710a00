import { isSpanContextValid, type Span } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * The trace and span a log line belongs to (a traced request's span), so a line leads to its
 * trace and back. Nothing for no span.
 */
export function traceFields(span: Span | undefined): { trace_id?: string; span_id?: string } {
  if (!span) return {};
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}

/**
 * Structured JSON logs on stdout; secrets in headers never reach them. A line written for a
 * request names it (`requestFields`).
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}
