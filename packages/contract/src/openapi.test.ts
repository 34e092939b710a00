import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { accessOf, contract, contractRoutes, ERROR_STATUSES, feedList, openApiDocument } from './index.js';

const committedPath = fileURLToPath(new URL('../openapi.json', import.meta.url));
const seed = JSON.parse(
  readFileSync(new URL('../../db/fixtures/jsonplaceholder/db.json', import.meta.url), 'utf8'),
) as { todos: unknown[]; users: unknown[] };
const document = openApiDocument({ todos: seed.todos[0], users: seed.users[0] });

type Media = Record<string, { schema: Record<string, unknown> }>;
type Operation = {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Media };
  responses: Record<string, { content?: Media; links?: Record<string, { operationId: string; parameters: object }> }>;
};
const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(
  ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
);

/** The document as committed: the HEAD revision in a git checkout, else the file on disk. */
function committed(): unknown {
  try {
    const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const relative = committedPath.slice(root.length + 1);
    return JSON.parse(execFileSync('git', ['show', `HEAD:${relative}`], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } catch {
    return JSON.parse(readFileSync(committedPath, 'utf8'));
  }
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by an independent validator', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has every route of the contract, and nothing else, with the contract key as operationId', () => {
    const fromContract = contractRoutes(contract).map(
      ({ key, route }) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')} ${key.join('.')}`,
    );
    const fromFeeds = feedList().map(
      ({ path, resource }) => `get ${path.replace(/:(\w+)/g, '{$1}')} ${resource}.changes`,
    );
    const fromDocument = operations.map(({ path, method, operation }) => `${method} ${path} ${operation.operationId}`);
    expect(fromDocument.sort()).toEqual([...fromContract, ...fromFeeds].sort());
  });

  it('declares every error status as a problem, and security from each route’s access', () => {
    for (const { key, route } of contractRoutes(contract)) {
      const found = operations.find(({ operation }) => operation.operationId === key.join('.'));
      for (const status of ERROR_STATUSES) {
        expect(found?.operation.responses[String(status)]).toEqual({ $ref: `#/components/responses/Problem${status}` });
      }
      const scope = route.method === 'GET' ? 'read' : 'write';
      if (accessOf(route) === 'owner') expect(found?.operation.security).toEqual([{ apiKey: [scope] }]);
      // A public read requires nothing and says nothing; a public write takes a key optionally.
      else if (route.method === 'GET') expect(found?.operation).not.toHaveProperty('security');
      else expect(found?.operation.security).toEqual([{}, { apiKey: ['write'] }]);
    }
  });

  it('names every resource, body and list once in components, and refers to it from every media type', () => {
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    for (const resource of ['Todo', 'User', 'Transaction', 'Event', 'Guest']) {
      for (const suffix of ['', 'Create', 'Replace', 'Patch', 'List'])
        expect(schemas).toHaveProperty(resource + suffix);
    }
    expect(schemas).toHaveProperty('Problem');
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const todo = (document.paths as Record<string, Record<string, Operation>>)['/todos/{id}'];
    expect(todo?.get?.responses['200']?.content?.['application/json']?.schema).toEqual(ref('Todo'));
    // Both media types of a merge patch carry the one schema, so a generator makes one model.
    expect(todo?.patch?.requestBody?.content).toEqual({
      'application/json': { schema: ref('TodoPatch') },
      'application/merge-patch+json': { schema: ref('TodoPatch') },
    });
    expect(schemas.TodoList).toMatchObject({ type: 'array', items: ref('Todo') });
    // No schema a route carries is left inline but the small ones of its path and query.
    for (const { operation } of operations) {
      const media = [operation.requestBody?.content, ...Object.values(operation.responses).map((r) => r.content)];
      for (const content of media.filter((entry) => entry !== undefined)) {
        for (const [type, { schema }] of Object.entries(content)) {
          if (type !== 'text/event-stream') expect(Object.keys(schema)).toEqual(['$ref']);
        }
      }
    }
  });

  it('links every create to its item’s routes, and items to their children, by body member', () => {
    const byId = new Map(operations.map(({ operation }) => [operation.operationId, operation]));
    expect(byId.get('todos.create')?.responses['201']?.links).toEqual({
      'todos.get': expect.objectContaining({ operationId: 'todos.get', parameters: { id: '$response.body#/id' } }),
      'todos.replace': expect.objectContaining({ parameters: { id: '$response.body#/id' } }),
      'todos.update': expect.objectContaining({ parameters: { id: '$response.body#/id' } }),
      'todos.remove': expect.objectContaining({ parameters: { id: '$response.body#/id' } }),
    });
    const guestLinks = byId.get('guests.create')?.responses['201']?.links ?? {};
    expect(guestLinks['guests.update']?.parameters).toEqual({
      eventId: '$response.body#/eventId',
      guestId: '$response.body#/id',
    });
    for (const parent of ['events.create', 'events.get']) {
      expect(Object.keys(byId.get(parent)?.responses[parent.endsWith('create') ? '201' : '200']?.links ?? {})).toEqual(
        expect.arrayContaining(['guests.list', 'guests.create']),
      );
    }
    expect(byId.get('users.get')?.responses['200']?.links?.['todos.listByUser']?.parameters).toEqual({
      id: '$response.body#/id',
    });
    // Every link names an operation of the document.
    for (const { operation } of operations) {
      for (const response of Object.values(operation.responses)) {
        for (const link of Object.values(response.links ?? {})) expect(byId.has(link.operationId)).toBe(true);
      }
    }
  });

  it('is committed as generated: change the contract, build, and commit packages/contract/openapi.json', () => {
    expect(committed()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('declares each change feed as text/event-stream, its events typed by x-itemSchema (OpenAPI 3.2 itemSchema)', () => {
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, unknown> }> })
      .schemas;
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const feed = (document.paths as Record<string, Record<string, Operation>>)['/events/{eventId}/guests/changes']?.get;
    const stream = feed?.responses['200']?.content?.['text/event-stream'] as Record<string, unknown> | undefined;
    expect(stream?.['x-itemSchema']).toMatchObject({
      properties: {
        event: { enum: ['created', 'updated', 'deleted', 'reset'] },
        data: { contentMediaType: 'application/json', contentSchema: ref('GuestChange') },
      },
    });
    // The change refers to the resource's one schema rather than repeating it.
    expect(schemas.GuestChange?.properties.item).toMatchObject({ anyOf: [ref('Guest'), { type: 'null' }] });
    expect(feed?.security).toEqual([{ apiKey: ['read'] }]);
    expect(Object.keys(feed?.responses ?? {})).toEqual(['200', '400', '401', '403', '404', '429', '503']);
    expect((document.paths as Record<string, Record<string, Operation>>)['/todos/changes']?.get).not.toHaveProperty(
      'security',
    );
  });
});
