import { once } from 'node:events';
import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPrototypes } from './app-prototypes.js';

describe('appPrototypes', () => {
  const app = express();
  const admin = express();
  admin.get('/who', (req, res) => {
    res.json({ app: 'admin', host: req.get('host') !== undefined });
  });
  app.use('/admin', admin);
  app.get('/items/:id', (req, res) => {
    res.status(201).json({ id: req.params.id, q: req.query.q ?? null, json: req.is('json') });
  });

  let server: Server;
  let base: string;
  const born: boolean[] = [];
  beforeAll(async () => {
    server = createServer(appPrototypes(app), app);
    // Before Express sees them: what Node made.
    server.prependListener('request', (req, res) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('has Node create requests and responses on the app’s prototypes, still Node’s kinds', async () => {
    let kinds: boolean[] = [];
    server.prependOnceListener('request', (req, res) => {
      kinds = [req instanceof IncomingMessage, res instanceof ServerResponse];
    });
    const response = await fetch(`${base}/items/7?q=x`);
    expect(born.at(-1)).toBe(true);
    expect(kinds).toEqual([true, true]);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: '7', q: 'x', json: null });
  });

  it('leaves mounted apps working (Express re-parents for them and back)', async () => {
    expect(await (await fetch(`${base}/admin/who`)).json()).toEqual({ app: 'admin', host: true });
    expect((await fetch(`${base}/items/8`)).status).toBe(201);
  });

  it('serves keep-alive requests one after another on one connection', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      ids.push(((await (await fetch(`${base}/items/${index}`)).json()) as { id: string }).id);
    }
    expect(ids).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
    expect(born.every(Boolean)).toBe(true);
  });
});
