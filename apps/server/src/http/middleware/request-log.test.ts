import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../testing.js';
import { requestContext } from '../request-context.js';
import { requestLog } from './request-log.js';

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text));
    done();
  },
});

const app = express();
app.use(requestContext(), requestLog(pino({ level: 'info' }, sink)));
app.get('/ok', (_req, res) => {
  res.json({ ok: true });
});
app.get('/broken', (_req, res) => {
  res.status(500).json({});
});
app.get('/slow', () => {
  // Never answers: the client gives up first.
});
const server = createServer(app);
let port: number;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** The line logged for the request with this id, once it is there. */
async function lineFor(id: string) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const line = lines.find((entry) => (entry.req as { id?: string } | undefined)?.id === id);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no log line for ${id}`);
}

describe('requestLog', () => {
  it('writes one line per request: id, method, URL, status, time; never the headers', async () => {
    await rawRequest({
      port,
      method: 'GET',
      path: '/ok?x=1',
      headers: { 'x-request-id': 'req-ok', authorization: 'Bearer lsk_secret' },
    });
    const line = await lineFor('req-ok');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'req-ok', method: 'GET', url: '/ok?x=1' },
      res: { statusCode: 200 },
    });
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('lsk_secret');
    expect(lines.filter((entry) => (entry.req as { id: string }).id === 'req-ok')).toHaveLength(1);
  });

  it('logs server errors at error, and a request its client abandoned at warn', async () => {
    await rawRequest({ port, method: 'GET', path: '/broken', headers: { 'x-request-id': 'req-500' } });
    expect(await lineFor('req-500')).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 500 } });

    const abandoned = new AbortController();
    const pending = fetch(`http://127.0.0.1:${port}/slow`, {
      headers: { 'x-request-id': 'req-gone' },
      signal: abandoned.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandoned.abort();
    await pending;
    expect(await lineFor('req-gone')).toMatchObject({ level: 40, msg: 'request aborted' });
  });
});
