/**
 * A deprecated route as the REST front door serves it, on a fixture contract of the test's own
 * (the API deprecates nothing yet): every answer of the route, errors included, carries
 * `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link: <…>; rel="deprecation"`, beside a
 * page's `rel="next"`; other routes carry none.
 */
import { linkTarget, readDeprecation } from '@lockstep/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TODOS_DEPRECATION as deprecated,
  deprecatedTodosContract,
  deprecatedTodosOperations,
  type FixtureServer,
  serveFixtureContract,
} from './testing/fixture-contract.js';
import { request } from './testing.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await serveFixtureContract(deprecatedTodosContract, deprecatedTodosOperations);
});
afterAll(() => server.close());

describe('a deprecated route', () => {
  it('announces its deprecation, sunset and link on a success', async () => {
    const answer = await request(server.url, 'GET', '/todos/1');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 10, 1) / 1000}`);
    expect(answer.headers.get('sunset')).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
    expect(answer.headers.get('link')).toBe('<https://example.com/todos-v2>; rel="deprecation"; type="text/html"');
    expect(readDeprecation(answer.headers)).toEqual({
      deprecation: new Date('2026-11-01T00:00:00Z'),
      sunset: new Date('2027-06-01T00:00:00Z'),
      link: deprecated.link,
    });
  });

  it('announces it on an error too', async () => {
    const answer = await request(server.url, 'GET', '/todos/2');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(readDeprecation(answer.headers)?.link).toBe(deprecated.link);
    const invalid = await request(server.url, 'GET', '/todos/x');
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('deprecation')).not.toBeNull();
  });

  it('keeps a page’s next link beside the deprecation link', async () => {
    const answer = await request(server.url, 'GET', '/todos?limit=1');
    expect(answer.status).toBe(200);
    const link = answer.headers.get('link');
    expect(linkTarget(link, 'next')).toBe('/todos?limit=1&cursor=page2');
    expect(linkTarget(link, 'deprecation')).toBe(deprecated.link);
  });

  it('leaves the routes that are not deprecated alone', async () => {
    const answer = await request(server.url, 'POST', '/todos', { json: { userId: 1, title: 'new' } });
    expect(answer.status).toBe(201);
    for (const name of ['deprecation', 'sunset', 'link']) expect(answer.headers.get(name)).toBeNull();
  });
});
