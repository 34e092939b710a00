/**
 * The W3C Trace Context the client sends, as a loopback server receives it: nothing by default
 * without OpenTelemetry, the application's active trace when it runs the OpenTelemetry API with
 * a context manager and the W3C propagator, and a new trace per call with `traceContext: 'start'`.
 */
import { context, propagation, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, createTrpcClient } from '../src/index.js';
import { faultServer, json } from './fault-server.js';

const todo = { userId: 1, id: 1, title: 'delectus aut autem', completed: false };
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
  propagation.disable();
  context.disable();
});

async function todoServer(failFirst = 0) {
  const server = await faultServer((req, res, arrivals) => {
    if (arrivals.length <= failFirst) return json(res, 503, { type: 'about:blank', title: 'x', status: 503 });
    if (req.url?.startsWith('/trpc')) return json(res, 200, { result: { data: todo } });
    return json(res, 200, todo);
  });
  closers.push(server.close);
  return server;
}

/** What an application running the OpenTelemetry SDK has: a context manager, the W3C propagator, a sampled span. */
function applicationTrace() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
  });
}

describe('trace context on every call', () => {
  it('sends none by default when the application does not run OpenTelemetry', async () => {
    const server = await todoServer();
    await createClient({ baseUrl: server.url }).todos.get({ params: { id: 1 } });
    expect(server.arrivals[0]?.headers.traceparent).toBeUndefined();
  });

  it('continues the application’s active trace, through REST and tRPC alike', async () => {
    const active = applicationTrace();
    const server = await todoServer();
    await context.with(active, async () => {
      await createClient({ baseUrl: server.url }).todos.get({ params: { id: 1 } });
      await createTrpcClient({ baseUrl: server.url }).todos.get.query({ params: { id: 1 } });
    });
    expect(server.arrivals.map((arrival) => arrival.headers.traceparent)).toEqual([
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]);
  });

  it('starts a new trace per call with `start`, the same one across that call’s retries', async () => {
    const server = await todoServer(1);
    const client = createClient({ baseUrl: server.url, traceContext: 'start', retry: { baseDelayMs: 1 } });
    await client.todos.get({ params: { id: 1 } });
    await client.todos.get({ params: { id: 1 } });
    const sent = server.arrivals.map((arrival) => String(arrival.headers.traceparent));
    for (const header of sent) expect(header).toMatch(TRACEPARENT);
    expect(sent).toHaveLength(3);
    // The first call's two attempts share a trace; the second call has its own.
    expect(sent[0]).toBe(sent[1]);
    expect(sent[2]?.slice(3, 35)).not.toBe(sent[0]?.slice(3, 35));
  });

  it('sends none with `false`, even inside an active trace', async () => {
    const active = applicationTrace();
    const server = await todoServer();
    await context.with(active, () =>
      createClient({ baseUrl: server.url, traceContext: false }).todos.get({ params: { id: 1 } }),
    );
    expect(server.arrivals[0]?.headers.traceparent).toBeUndefined();
  });
});
