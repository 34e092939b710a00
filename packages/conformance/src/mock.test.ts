import type { AddressInfo } from 'node:net';
import { contract, contractRoutes, ProblemSchema } from '@lockstep/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatorOf } from './generate.js';
import { createMockApp } from './mock.js';

let base: string;
let close: () => void;
beforeAll(async () => {
  const server = createMockApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

const routes = contractRoutes(contract);
/** A path of the route with ids 3 and 7 in its parameters. */
const pathOf = (path: string) => {
  const ids = [3, 7];
  let index = 0;
  return path.replace(/:\w+/g, () => String(ids[index++ % ids.length]));
};
const inputBody = (route: (typeof routes)[number]['route']) =>
  'body' in route && route.body instanceof z.ZodType && route.method !== 'DELETE'
    ? JSON.stringify(generatorOf(route.body, 'input').valid(1))
    : undefined;

describe('the mock server', () => {
  it('answers every route of the contract with its success status and a body its schema accepts', async () => {
    for (const { key, route } of routes) {
      const path = pathOf(route.path);
      const response = await fetch(`${base}${path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json', authorization: 'Bearer any-key' },
        body: inputBody(route),
      });
      const label = `${key.join('.')} ${route.method} ${path}`;
      const [status, schema] = Object.entries(route.responses).find(([s]) => Number(s) < 300) as [string, z.ZodType];
      expect(response.status, label).toBe(Number(status));
      expect(response.headers.get('x-request-id'), label).toBeTruthy();
      const body: unknown = await response.json();
      const parsed = schema.safeParse(body);
      expect(parsed.success, `${label}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      if (status === '201') expect(response.headers.get('location'), label).toMatch(/\/\d+$/);
    }
  });

  it('answers an item with the id its path names', async () => {
    const todo = (await (await fetch(`${base}/todos/42`)).json()) as { id: number };
    expect(todo.id).toBe(42);
    const guest = (await (
      await fetch(`${base}/events/5/guests/9`, { headers: { authorization: 'Bearer any-key' } })
    ).json()) as { id: number; eventId: number };
    expect(guest).toMatchObject({ id: 9, eventId: 5 });
  });

  it('answers a declared error status on request (Prefer: code=404) as a problem, refuses an undeclared one, and 405s a wrong method', async () => {
    const missing = await fetch(`${base}/todos/1`, { headers: { prefer: 'code=404' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ProblemSchema.parse(await missing.json()).status).toBe(404);
    const undeclared = await fetch(`${base}/todos/1`, { headers: { prefer: 'code=418' } });
    expect(undeclared.status).toBe(400);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const wrongMethod = await fetch(`${base}/todos`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect(wrongMethod.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('refuses what the server refuses before reaching data: no key, a bad parameter, a body that is not JSON or breaks the schema', async () => {
    const anonymous = await fetch(`${base}/transactions`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const key = { authorization: 'Bearer any-key' };
    const unknownQuery = await fetch(`${base}/transactions?colour=red`, { headers: key });
    expect(unknownQuery.status).toBe(400);
    expect(ProblemSchema.parse(await unknownQuery.json()).errors?.[0]?.path).toBe('/colour');
    expect((await fetch(`${base}/todos/abc`)).status).toBe(400);
    const text = await fetch(`${base}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
    const invalid = await fetch(`${base}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 1, title: 42 }),
    });
    expect(invalid.status).toBe(422);
    expect(ProblemSchema.parse(await invalid.json()).errors?.map((error) => error.path)).toEqual(['/title']);
  });

  it('answers the same request with the same body, so If-None-Match with its ETag answers 304', async () => {
    const first = await fetch(`${base}/users/4`);
    const second = await fetch(`${base}/users/4`);
    expect(await second.json()).toEqual(await first.json());
    const etag = first.headers.get('etag') as string;
    expect(etag).toBeTruthy();
    // node:http rather than fetch: fetch adds Cache-Control: no-cache to a conditional request.
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${base}/users/4`, { headers: { 'if-none-match': etag } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(304);
  });
});
