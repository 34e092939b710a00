import { context, propagation } from '@opentelemetry/api';

/**
 * Which W3C Trace Context (`traceparent`, `tracestate`) a request carries:
 * - `'propagate'` (the default): the active OpenTelemetry context's, when the application runs
 *   the OpenTelemetry SDK; none otherwise (the API alone injects nothing).
 * - `'start'`: the same, and where there is no active trace, a new sampled one per call, so the
 *   server's spans and log lines of each call share a trace id the caller chose (the web app).
 * - `false`: none.
 */
export type TraceContextMode = 'propagate' | 'start' | false;

const hex = (bytes: number): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

/** A new root: random trace and parent ids (never all zero in practice), flagged sampled. */
export const newTraceparent = (): string => `00-${hex(16)}-${hex(8)}-01`;

/** The trace headers of one call, per `mode`. */
export function traceHeaders(mode: TraceContextMode = 'propagate'): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (mode === false) return carrier;
  propagation.inject(context.active(), carrier);
  if (mode === 'start' && !carrier.traceparent) carrier.traceparent = newTraceparent();
  return carrier;
}
