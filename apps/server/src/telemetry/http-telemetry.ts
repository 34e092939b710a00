import { TRPC_PATH } from '@lockstep/contract';
import {
  type Attributes,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler, Response } from 'express';
import { contextOf } from '../http/request-context.js';
import { INSTRUMENTATION_SCOPE, type ServerMetrics } from './instruments.js';

/** The methods the HTTP conventions name; any other is `_OTHER`, so a client cannot mint label values. */
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);
const methodOf = (req: Request): string => (KNOWN_METHODS.has(req.method) ? req.method : '_OTHER');

/**
 * The route template a request was answered by, in Express's form (the contract's own:
 * `/todos/:id`), the one form used in span names, `http.route` and metric labels. Only what the
 * router matched counts, never the raw URL, so the set of values is as small as the API:
 * a contract route or any route of ours (Express's `req.route`), every tRPC call
 * (`/trpc/:procedure`, the procedure being its own span), a static folder (`/app/*`); undefined
 * for a path nothing matched (a 404).
 */
export function routeTemplate(req: Request): string | undefined {
  if (req.route) {
    const path = String(req.route.path);
    return req.baseUrl && path === '/' ? req.baseUrl : `${req.baseUrl}${path}`;
  }
  if (req.baseUrl === TRPC_PATH) return `${TRPC_PATH}/:procedure`;
  return req.baseUrl ? `${req.baseUrl}/*` : undefined;
}

/** The attributes of a finished request that its span and its duration share. */
function finishedAttributes(method: string, scheme: string, res: Response, route: string | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: res.statusCode,
  };
  if (route) attributes[ATTR_HTTP_ROUTE] = route;
  // Server errors name their type, the status code, as the conventions ask; a client that left
  // before its answer is one too. A 4xx is the client's mistake, not the server's.
  if (res.statusCode >= 500) attributes[ATTR_ERROR_TYPE] = String(res.statusCode);
  else if (!res.writableFinished && !isStream(res)) attributes[ATTR_ERROR_TYPE] = 'aborted';
  return attributes;
}

const isStream = (res: Response) => String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

/** The active-requests entry of a method and scheme, made on first use (a handful exist: `_OTHER` bounds them). */
function activeEntry(metrics: ServerMetrics, method: string, scheme: string) {
  const key = `${method} ${scheme}`;
  let entry = metrics.activeRequests.get(key);
  if (!entry) {
    entry = { attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme }, count: 0 };
    metrics.activeRequests.set(key, entry);
  }
  return entry;
}

export interface HttpTelemetryOptions {
  /** Make a span per request (tracing is on). */
  traces: boolean;
  /** Record the request metrics (some metric reader collects). */
  metrics: ServerMetrics | undefined;
}

/**
 * A server span per request, following the stable HTTP semantic conventions, continuing the
 * caller's trace from `traceparent`/`tracestate`, kept in the request's context, where the
 * database's spans, the tRPC procedures' and the log lines are given it. Named `{method} {route}` once the route is
 * known, `{method}` alone when no route matched. Beside it, the request duration histogram and
 * the active-requests count; plus lockstep's replay and rate-limit counters, read off the answer.
 * Mounted only when telemetry is on, after `requestContext`.
 */
export function httpTelemetry({ traces, metrics }: HttpTelemetryOptions): RequestHandler {
  const tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  return function httpTelemetry(req, res, next) {
    const started = performance.now();
    const method = methodOf(req);
    // Express derives it from the socket and `trust proxy` on every read: read once.
    const scheme = req.protocol;
    const active = metrics ? activeEntry(metrics, method, scheme) : undefined;
    if (active) active.count += 1;
    let span: Span | undefined;
    if (traces) {
      span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: method,
            [ATTR_URL_PATH]: req.path,
            [ATTR_URL_SCHEME]: scheme,
          },
        },
        propagation.extract(ROOT_CONTEXT, req.headers),
      );
      contextOf(req).span = span;
    }
    res.once('close', () => {
      const route = routeTemplate(req);
      const attributes = finishedAttributes(method, scheme, res, route);
      if (span) {
        if (route) span.updateName(`${method} ${route}`);
        // Method and scheme were set at the start; the rest is known only now.
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
        if (route) span.setAttribute(ATTR_HTTP_ROUTE, route);
        const errorType = attributes[ATTR_ERROR_TYPE];
        if (errorType) span.setAttribute(ATTR_ERROR_TYPE, errorType);
        if (errorType) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      if (metrics) {
        if (active) active.count -= 1;
        metrics.requestDuration.record((performance.now() - started) / 1000, attributes);
        const byRoute = route ? { [ATTR_HTTP_ROUTE]: route } : {};
        if (res.getHeader('idempotent-replayed') === 'true') metrics.idempotentReplays.add(1, byRoute);
        if (res.statusCode === 429) metrics.rateLimitRefusals.add(1, byRoute);
      }
    });
    next();
  };
}
