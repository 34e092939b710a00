/**
 * The deploy gate and deprecations on fixture contracts of the test's own (the API's routes stay
 * as they are): what the document says of a deprecated route or member, how each breaking change
 * is weighed against a usage report, and the headers a deprecation travels in.
 */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routeOfPointer } from './deploy-gate.js';
import {
  deprecatedMember,
  deprecationHeaders,
  deprecationLink,
  deprecationProblems,
  readDeprecation,
} from './deprecation.js';
import { formatGateReport, gateContractChange } from './index.js';
import { openApiDocument } from './openapi.js';
import { contract } from './router.js';
import { c, contractRoutes, deprecationOf, publicRoute, routerOptions } from './routes.js';
import type { ContractUsage } from './usage.js';
import { consumerOf, contractPathOf, usageRoute } from './usage.js';

type Json = Record<string, unknown>;

const PAST = { since: '2026-01-01', sunset: '2026-06-01', link: 'https://example.com/migrate/legacy' };
const FUTURE = { since: '2026-11-01', sunset: '2027-06-01', link: 'https://example.com/migrate/users' };
const NOW = new Date('2026-12-06T12:00:00Z');

const Item = z.object({ id: z.number().int(), title: z.string(), note: deprecatedMember(z.string(), PAST) });
const route = (path: string, metadata: object = publicRoute) =>
  ({
    method: 'GET',
    path,
    pathParams: z.object({ id: z.coerce.number() }),
    responses: { 200: Item },
    metadata,
  }) as const;

/** The released fixture: four routes, one deprecated past its sunset, one before it; a deprecated member. */
const released = c.router(
  {
    items: c.router(
      {
        get: route('/items/:id'),
        legacy: route('/legacy/:id', { ...publicRoute, deprecated: PAST }),
        soon: route('/soon/:id', { ...publicRoute, deprecated: FUTURE }),
        other: route('/other/:id'),
      },
      routerOptions,
    ),
  },
  routerOptions,
);
const releasedDocument = openApiDocument({}, released);
/** The released document with `paths` entries removed (a removal), or with `edit` applied. */
const without = (...paths: string[]): Json => {
  const copy = structuredClone(releasedDocument) as Json & { paths: Record<string, unknown> };
  for (const path of paths) delete copy.paths[path];
  return copy;
};
const usage = (consumers: ContractUsage['consumers']): ContractUsage => ({
  serverVersion: '1.0.0',
  since: '2026-11-06',
  retentionDays: 90,
  consumers,
});
const used = (version: string, ...routes: string[]) => ({
  version,
  count: routes.length * 3,
  lastSeen: '2026-12-05T10:00:00.000Z',
  routes: routes.map((name) => ({ route: name, count: 3, lastSeen: '2026-12-05T10:00:00.000Z' })),
});

describe('deprecation in the OpenAPI document', () => {
  it('marks a deprecated operation with its dates and link, and says so first in its description', () => {
    const legacy = (releasedDocument.paths as Record<string, Record<string, Json>>)['/legacy/{id}']?.get ?? {};
    expect(legacy).toMatchObject({
      deprecated: true,
      'x-deprecated-since': '2026-01-01',
      'x-sunset': '2026-06-01',
      'x-deprecation-link': PAST.link,
    });
    expect(String(legacy.description)).toMatch(
      /^\*\*Deprecated\*\* since 2026-01-01; it may stop answering from 2026-06-01/,
    );
    const headers = ((legacy.responses as Record<string, Json>)['200']?.headers ?? {}) as Record<string, unknown>;
    expect(Object.keys(headers)).toEqual(expect.arrayContaining(['Deprecation', 'Sunset', 'Link']));
    const current = (releasedDocument.paths as Record<string, Record<string, Json>>)['/items/{id}']?.get ?? {};
    expect(current.deprecated).toBeUndefined();
  });

  it('marks a deprecated member where its schema is', () => {
    const text = JSON.stringify(releasedDocument);
    expect(text).toContain('"note":{"type":"string","deprecated":true');
  });

  it('the API contract declares only valid deprecations', () => {
    for (const { key, route: declared } of contractRoutes(contract)) {
      const deprecation = deprecationOf(declared);
      if (deprecation) expect(deprecationProblems(deprecation), key.join('.')).toEqual([]);
    }
    expect(deprecationProblems({ since: '2026-02-30', sunset: '2026-01-01', link: 'example.com' })).toEqual([
      'since "2026-02-30" is not a YYYY-MM-DD day',
      'link "example.com" is not an absolute http(s) URL',
    ]);
    expect(deprecationProblems({ since: '2026-03-01', sunset: '2026-02-01', link: 'https://x.test/' })).toEqual([
      'sunset comes before since',
    ]);
  });
});

describe('deprecation headers', () => {
  it('are RFC 9745 and RFC 8594 values, and read back as they were sent', () => {
    const headers = deprecationHeaders(FUTURE);
    expect(headers).toEqual({ Deprecation: '@1793491200', Sunset: 'Tue, 01 Jun 2027 00:00:00 GMT' });
    const answer = new Headers({
      ...headers,
      Link: `</items?cursor=abc>; rel="next", ${deprecationLink(FUTURE)}`,
    });
    expect(readDeprecation(answer)).toEqual({
      deprecation: new Date('2026-11-01T00:00:00Z'),
      sunset: new Date('2027-06-01T00:00:00Z'),
      link: FUTURE.link,
    });
    expect(readDeprecation(new Headers({ Deprecation: 'true' }))).toBeUndefined();
    expect(readDeprecation(new Headers())).toBeUndefined();
  });
});

describe('the usage ledger’s names', () => {
  it('names routes as the contract writes them and consumers only by a version', () => {
    expect(usageRoute('get', '/todos/:id')).toBe('GET /todos/:id');
    expect(contractPathOf('/events/{eventId}/guests/{id}')).toBe('/events/:eventId/guests/:id');
    expect(routeOfPointer('#/paths/~1todos~1{id}/get/responses/200')).toBe('GET /todos/:id');
    expect(routeOfPointer('#/components/schemas/Problem')).toBeUndefined();
    expect(consumerOf('0.9.0')).toBe('0.9.0');
    expect(consumerOf('1.2.3-rc.1')).toBe('1.2.3-rc.1');
    for (const junk of [undefined, '', 'latest', '1.2', `1.2.3-${'x'.repeat(60)}`, '1.2.3, 1.2.4'])
      expect(consumerOf(junk)).toBe('unknown');
  });
});

describe('the deploy gate', () => {
  it('refuses a removal some consumer used in the window, and names the consumer', () => {
    const report = gateContractChange(releasedDocument, without('/items/{id}'), {
      usage: usage([used('0.9.0', 'GET /items/:id'), used('1.0.0', 'GET /other/:id')]),
      now: NOW,
    });
    expect(report.blocking).toBe(1);
    const removal = report.changes.find((change) => change.kind === 'breaking');
    expect(removal).toMatchObject({ route: 'GET /items/:id', verdict: 'used' });
    expect(removal?.consumers.map((consumer) => consumer.version)).toEqual(['0.9.0']);
    expect(report.consumersSeen).toEqual(['0.9.0', '1.0.0']);
    expect(formatGateReport(report).join('\n')).toMatch(/REFUSED: in use[\s\S]*consumer 0\.9\.0: 3 request\(s\)/);
  });

  it('allows a removal nobody used, reporting the consumers it saw', () => {
    const report = gateContractChange(releasedDocument, without('/other/{id}'), {
      // A conformance run calls every route; it is no consumer.
      usage: usage([used('0.9.0', 'GET /items/:id'), used('1.0.0-verify', 'GET /other/:id')]),
      now: NOW,
    });
    expect(report.blocking).toBe(0);
    expect(report.changes.find((change) => change.kind === 'breaking')?.verdict).toBe('unused');
    expect(formatGateReport(report).at(-1)).toBe(
      'Consumers seen since 2026-11-06: 0.9.0. (conformance runs, not counted: 1.0.0-verify)',
    );
  });

  it('allows removing a deprecated route after its sunset even while it is used, not before', () => {
    const ledger = usage([used('0.9.0', 'GET /legacy/:id', 'GET /soon/:id')]);
    const afterSunset = gateContractChange(releasedDocument, without('/legacy/{id}'), { usage: ledger, now: NOW });
    expect(afterSunset.blocking).toBe(0);
    expect(afterSunset.changes.find((change) => change.kind === 'breaking')).toMatchObject({
      verdict: 'past-sunset',
      sunset: '2026-06-01',
      consumers: [{ version: '0.9.0', count: 3 }],
    });
    const beforeSunset = gateContractChange(releasedDocument, without('/soon/{id}'), { usage: ledger, now: NOW });
    expect(beforeSunset.blocking).toBe(1);
    // Without a ledger it is up to the version rule, sunset aside.
    const unchecked = gateContractChange(releasedDocument, without('/soon/{id}'), { now: NOW });
    expect(unchecked.changes.find((change) => change.kind === 'breaking')?.verdict).toBe('unchecked');
    const lapsed = gateContractChange(releasedDocument, without('/legacy/{id}'), { now: NOW });
    expect(lapsed.changes.find((change) => change.kind === 'breaking')?.verdict).toBe('past-sunset');
  });

  it('allows removing a deprecated member after its sunset, wherever the member appears', () => {
    const next = openApiDocument(
      {},
      c.router(
        {
          items: c.router(
            {
              get: { ...route('/items/:id'), responses: { 200: Item.omit({ note: true }) } },
              legacy: route('/legacy/:id', { ...publicRoute, deprecated: PAST }),
              soon: route('/soon/:id', { ...publicRoute, deprecated: FUTURE }),
              other: route('/other/:id'),
            },
            routerOptions,
          ),
        },
        routerOptions,
      ),
    );
    const report = gateContractChange(releasedDocument, next, {
      usage: usage([used('0.9.0', 'GET /items/:id')]),
      now: NOW,
    });
    const removal = report.changes.filter((change) => change.kind === 'breaking');
    expect(removal).toHaveLength(1);
    expect(removal[0]).toMatchObject({
      message: 'response field removed',
      verdict: 'past-sunset',
      route: 'GET /items/:id',
    });
  });

  it('weighs a change to the problem shape against every route', () => {
    const next = structuredClone(releasedDocument) as { components: { schemas: { Problem: Json } } };
    const problem = next.components.schemas.Problem as { properties: Record<string, unknown> };
    delete problem.properties.title;
    const report = gateContractChange(releasedDocument, next as unknown as Json, {
      usage: usage([used('0.9.0', 'GET /other/:id')]),
      now: NOW,
    });
    const change = report.changes.find((entry) => entry.path.startsWith('#/components/'));
    expect(change).toMatchObject({ route: undefined, verdict: 'used' });
  });
});
