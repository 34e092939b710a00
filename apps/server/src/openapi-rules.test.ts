/**
 * The OpenAPI document and the server agree on every rule, judged the way third-party tools judge
 * the document: a JSON Schema 2020-12 validator (Ajv, with its formats) reads the served
 * document, and the server is asked over HTTP. For each rule the document declares, every value
 * of the table is allowed by the schema exactly when the server accepts it. Every `pattern` of
 * the document must have its row here, so a new one cannot go untested; the rules JSON Schema
 * cannot state are in `description`, and the server enforces them.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createKey, openFeed, startTestServer, type TestServer } from './testing.js';

type Json = Record<string, unknown>;

let server: TestServer;
let document: Json;
let api: ReturnType<typeof client>;
let validator: Ajv2020;
beforeAll(async () => {
  server = await startTestServer();
  api = client(server, (await createKey(server)).token);
  document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Json;
  // OpenAPI's own keywords (`example`, `x-references`) are not JSON Schema's: not strict.
  validator = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  addFormats.default(validator);
  validator.addSchema(document, 'openapi.json');
});
afterAll(() => server.dispose());

const pointer = (...segments: string[]) =>
  segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Whether the schema at `at` (a JSON Pointer into the document) allows `value`. */
function schemaAllows(at: string, value: unknown): boolean {
  const validate = validator.getSchema(`openapi.json#${at}`);
  if (!validate) throw new Error(`no schema at ${at}`);
  return validate(value) as boolean;
}

/** The pointer to a parameter's schema: `in` and name, on an operation. */
function parameterAt(path: string, method: string, where: string, name: string): string {
  const operation = (document.paths as Record<string, Record<string, Json>>)[path]?.[method];
  const parameters = (operation?.parameters ?? []) as Array<{ name: string; in: string }>;
  const index = parameters.findIndex((parameter) => parameter.in === where && parameter.name === name);
  if (index < 0) throw new Error(`${method} ${path} declares no ${where} parameter ${name}`);
  return pointer('paths', path, method, 'parameters', String(index), 'schema');
}

const componentAt = (name: string) => pointer('components', 'schemas', name);

interface Rule {
  name: string;
  /** The schema the rule lives in, and the value the schema is asked about for a candidate. */
  schema: () => string;
  asSchemaValue: (candidate: string) => unknown;
  /** Sends the candidate; answers whether the server accepted the request. */
  accepted: (candidate: string) => Promise<boolean>;
  allowed: string[];
  refused: string[];
}

const eventBody = (startsAt: string) => ({ name: 'Rule', startsAt });
const ok = (status: number) => status >= 200 && status < 300;

/** The first cursor the server hands out for a todo list: a value clients really send. */
async function realCursor(): Promise<string> {
  const page = await api('GET', '/todos?limit=1');
  return (
    new URL(/<([^>]+)>/.exec(page.headers.get('link') ?? '')?.[1] ?? '', server.url).searchParams.get('cursor') ?? ''
  );
}

/** Whether a feed opens (200) with `lastEventId` sent as the Last-Event-ID header; the stream is closed at once. */
async function feedOpens(lastEventId: string): Promise<boolean> {
  const feed = await openFeed(`${server.url}/todos/changes`, { 'last-event-id': lastEventId });
  feed.close();
  return feed.status === 200;
}

/** A cursor the todo feed hands out: a value EventSource really sends back. */
async function realFeedCursor(): Promise<string> {
  const feed = await openFeed(`${server.url}/todos/changes`);
  await api('POST', '/todos', { json: { userId: 1, title: 'for a cursor' } });
  const [event] = await feed.waitForEvents(1);
  feed.close();
  return event?.id ?? '';
}

const RULES: Rule[] = [
  {
    name: 'Last-Event-ID: a cursor of the feed',
    schema: () => parameterAt('/todos/changes', 'get', 'header', 'Last-Event-ID'),
    asSchemaValue: (cursor) => cursor,
    accepted: feedOpens,
    allowed: ['{feed}', '1-abc', '0-0', 'zzzzzzzzzz-zzzzzzzz'],
    refused: ['not a cursor', '1_2', 'A-1', '1-2-3', 'zzzzzzzzzzz-1', '1-zzzzzzzzz', '-1'],
  },
  {
    name: 'Idempotency-Key: visible ASCII, bare or quoted',
    schema: () => parameterAt('/todos', 'post', 'header', 'Idempotency-Key'),
    asSchemaValue: (key) => key,
    accepted: async (key) =>
      ok(
        (await api('POST', '/todos', { json: { userId: 1, title: 'rule' }, headers: { 'idempotency-key': key } }))
          .status,
      ),
    allowed: ['abc-123', '"quoted-key"', 'k'.repeat(255), `"${'k'.repeat(255)}"`, '~!#$%'],
    refused: ['with space', '""', '"open', '', 'k'.repeat(256), `"${'k'.repeat(256)}"`, '"a"b"'],
  },
  {
    name: 'currency: an ISO 4217 code of the enum',
    schema: () => componentAt('TransactionCreate'),
    asSchemaValue: (currency) => ({ amount: 100, currency, occurredAt: '2026-11-25T10:00:00Z' }),
    accepted: async (currency) =>
      ok(
        (await api('POST', '/transactions', { json: { amount: 100, currency, occurredAt: '2026-11-25T10:00:00Z' } }))
          .status,
      ),
    allowed: ['EUR', 'JPY', 'XOF'],
    refused: ['KFL', 'XYZ', 'eur', 'EURO', ''],
  },
  {
    name: 'rsvp: one of the enum',
    schema: () => componentAt('GuestCreate'),
    asSchemaValue: (rsvp) => ({ name: 'G', email: 'g@example.com', rsvp }),
    accepted: async (rsvp) => {
      const created = (await api('POST', '/events', { json: eventBody('2026-12-01T18:00:00Z') })).body as {
        id: number;
      };
      const guest = await api('POST', `/events/${created.id}/guests`, {
        json: { name: 'G', email: 'g@example.com', rsvp },
      });
      return ok(guest.status);
    },
    allowed: ['pending', 'yes', 'no', 'maybe'],
    refused: ['soon', 'YES', ''],
  },
  {
    name: 'email: the address pattern',
    schema: () => componentAt('UserCreate'),
    asSchemaValue: (email) => ({ name: 'U', email }),
    accepted: async (email) => ok((await api('POST', '/users', { json: { name: 'U', email } })).status),
    allowed: ['ann@example.com', 'a.b+c@mail.example.org'],
    refused: ['ann@', 'a b@example.com', 'ann@example', '@example.com'],
  },
  {
    name: 'instants: ISO 8601 with an offset',
    schema: () => componentAt('EventCreate'),
    asSchemaValue: (startsAt) => eventBody(startsAt),
    accepted: async (startsAt) => ok((await api('POST', '/events', { json: eventBody(startsAt) })).status),
    allowed: ['2026-12-01T18:00:00Z', '2026-12-01T18:00:00.5+01:00', '2028-02-29T00:00:00-05:30'],
    refused: ['2026-12-01', '2026-12-01T18:00:00', '2026-02-30T00:00:00Z', '2026-12-01 18:00:00Z', 'tomorrow'],
  },
  {
    name: 'cursor: a Link header’s cursor',
    schema: () => parameterAt('/todos', 'get', 'query', 'cursor'),
    asSchemaValue: (cursor) => cursor,
    accepted: async (cursor) => ok((await api('GET', `/todos?cursor=${encodeURIComponent(cursor)}`)).status),
    allowed: ['{real}'],
    refused: ['a b', 'abc!', 'x'.repeat(513), ''],
  },
  {
    name: 'sort: one of the listed fields',
    schema: () => parameterAt('/todos', 'get', 'query', 'sort'),
    asSchemaValue: (sort) => sort,
    accepted: async (sort) => ok((await api('GET', `/todos?sort=${encodeURIComponent(sort)}&limit=1`)).status),
    allowed: ['id', '-id', 'title', '-title'],
    refused: ['userId', '+id', 'TITLE'],
  },
];

/** Every `pattern` keyword in the document, by the pattern. */
function declaredPatterns(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const entry of node) declaredPatterns(entry, found);
  else if (node !== null && typeof node === 'object') {
    const { pattern } = node as Json;
    if (typeof pattern === 'string') found.add(pattern);
    for (const value of Object.values(node)) declaredPatterns(value, found);
  }
  return found;
}

describe('the OpenAPI document and the server', () => {
  it.each(RULES.map((rule) => [rule.name, rule] as const))('agree on %s', async (_name, rule) => {
    const at = rule.schema();
    const cursor = await realCursor();
    const disagreements: string[] = [];
    for (const [candidates, expected] of [
      [rule.allowed, true],
      [rule.refused, false],
    ] as const) {
      for (const written of candidates) {
        const candidate = written === '{real}' ? cursor : written === '{feed}' ? await realFeedCursor() : written;
        const allows = schemaAllows(at, rule.asSchemaValue(candidate));
        const accepts = await rule.accepted(candidate);
        if (allows !== expected || accepts !== expected) {
          disagreements.push(
            `${JSON.stringify(candidate)}: schema ${allows ? 'allows' : 'refuses'}, server ${accepts ? 'accepts' : 'refuses'}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('has a row above for every pattern the document declares', async () => {
    const tested = new Set<string>();
    for (const rule of RULES) {
      const schema = validator.getSchema(`openapi.json#${rule.schema()}`)?.schema;
      for (const pattern of declaredPatterns(schema)) tested.add(pattern);
    }
    expect([...declaredPatterns(document)].filter((pattern) => !tested.has(pattern))).toEqual([]);
  });

  it('states in descriptions the rules JSON Schema cannot, and the server enforces them', async () => {
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, Json> }> }).schemas;
    for (const body of ['TodoReplace', 'TodoPatch', 'UserReplace', 'TransactionPatch', 'EventReplace', 'GuestPatch']) {
      expect(schemas[body]?.properties.id?.description, body).toMatch(/must equal the id in the path/);
    }
    expect(schemas.EventCreate?.properties.endsAt?.description).toMatch(/never before startsAt/);

    const todo = (await api('POST', '/todos', { json: { userId: 1, title: 'ids' } })).body as { id: number };
    // The schema allows any id here (it cannot name the path's); the server takes only the path's.
    expect(schemaAllows(componentAt('TodoPatch'), { id: todo.id + 1 })).toBe(true);
    expect((await api('PATCH', `/todos/${todo.id}`, { json: { id: todo.id + 1 } })).status).toBe(422);
    expect((await api('PATCH', `/todos/${todo.id}`, { json: { id: todo.id, title: 'same id' } })).status).toBe(200);
    const backwards = { name: 'Backwards', startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' };
    expect(schemaAllows(componentAt('EventCreate'), backwards)).toBe(true);
    expect((await api('POST', '/events', { json: backwards })).status).toBe(422);
  });

  it('declares no pattern for X-Request-Id, whose unusable values the server replaces rather than refuses', async () => {
    const at = parameterAt('/todos/{id}', 'get', 'header', 'X-Request-Id');
    expect(schemaAllows(at, 'not a usable id!')).toBe(true);
    const answer = await api('GET', '/todos/1', { headers: { 'x-request-id': 'not a usable id!' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
