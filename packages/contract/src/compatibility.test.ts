import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowsBreakingChanges, compareContracts, sortVersions } from './compatibility.js';
import { openApiDocument } from './openapi.js';

type Json = Record<string, unknown>;

/** A small document in the shape openApiDocument produces: one list route, one create route. */
const base = (): Json => ({
  openapi: '3.1.1',
  paths: {
    '/todos': {
      get: {
        parameters: [{ name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['id', 'title'] } }],
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { id: { type: 'integer' }, title: { type: 'string' } },
                    required: ['id', 'title'],
                  },
                },
              },
            },
          },
          '404': { $ref: '#/components/responses/Problem404' },
        },
      },
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { title: { type: 'string', maxLength: 500 }, note: { type: 'string' } },
                required: ['title'],
              },
            },
          },
        },
        responses: { '201': { content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
});

/** Applies an edit to a copy of the base document and classifies the difference. */
function changesAfter(edit: (doc: Json) => void) {
  const after = base();
  edit(after);
  return compareContracts(base(), after).map(({ kind, message }) => `${kind}: ${message}`);
}

/** The object at a path of keys in a fixture, to edit in place. */
const node = (doc: Json, ...keys: string[]): Json => keys.reduce((current, key) => current[key] as Json, doc);
/** The schema of the answer of `GET /todos`, and the members of a todo in it. */
const todoList = (doc: Json) =>
  node(doc, 'paths', '/todos', 'get', 'responses', '200', 'content', 'application/json', 'schema');
const listedTodo = (doc: Json) => node(todoList(doc), 'items', 'properties');
/** The members of the body of `POST /todos`. */
const createdTodo = (doc: Json) =>
  node(doc, 'paths', '/todos', 'post', 'requestBody', 'content', 'application/json', 'schema', 'properties');
const list = (doc: Json, ...keys: string[]) => node(doc, ...keys) as unknown as unknown[];

describe('compareContracts classifies each kind of change', () => {
  it('finds nothing between equal documents', () => {
    expect(changesAfter(() => {})).toEqual([]);
  });

  it('a route removed is breaking; a route added is compatible', () => {
    expect(changesAfter((d) => delete node(d, 'paths', '/todos').post)).toEqual([
      'breaking: route POST /todos removed',
    ]);
    expect(changesAfter((d) => (node(d, 'paths')['/users'] = { get: { responses: {} } }))).toEqual([
      'compatible: route GET /users added',
    ]);
  });

  it('a response field removed is breaking; one added is compatible', () => {
    const item = (d: Json) =>
      node(d, 'paths', '/todos', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'items');
    expect(changesAfter((d) => delete node(item(d), 'properties').title)).toContain('breaking: response field removed');
    expect(changesAfter((d) => (node(item(d), 'properties').done = { type: 'boolean' }))).toEqual([
      'compatible: field added',
    ]);
  });

  it('a type changed is breaking', () => {
    const item = (d: Json) =>
      node(d, 'paths', '/todos', 'get', 'responses', '200', 'content', 'application/json', 'schema', 'items');
    expect(changesAfter((d) => (node(item(d), 'properties').title = { type: 'integer' }))).toEqual([
      'breaking: type string → integer',
    ]);
  });

  it('an enum member removed is breaking; one added is compatible', () => {
    const sort = (d: Json) => node(list(d, 'paths', '/todos', 'get', 'parameters')[0] as Json, 'schema');
    expect(changesAfter((d) => (sort(d).enum = ['id']))).toEqual(['breaking: enum member "title" removed']);
    expect(changesAfter((d) => (sort(d).enum = ['id', 'title', 'name']))).toEqual([
      'compatible: enum member "name" added',
    ]);
  });

  it('an input narrowed is breaking', () => {
    const body = (d: Json) =>
      node(d, 'paths', '/todos', 'post', 'requestBody', 'content', 'application/json', 'schema');
    expect(changesAfter((d) => (node(body(d), 'properties', 'title').maxLength = 100))).toEqual([
      'breaking: maxLength narrowed to 100',
    ]);
  });

  it('a new required input, or an optional one made required, is breaking; a new optional one is not', () => {
    const body = (d: Json) =>
      node(d, 'paths', '/todos', 'post', 'requestBody', 'content', 'application/json', 'schema');
    expect(changesAfter((d) => list(body(d), 'required').push('note'))).toEqual([
      'breaking: optional input made required',
    ]);
    expect(
      changesAfter((d) => {
        node(body(d), 'properties').due = { type: 'string' };
        list(body(d), 'required').push('due');
      }),
    ).toEqual(['breaking: new required input']);
    expect(changesAfter((d) => (node(body(d), 'properties').due = { type: 'string' }))).toEqual([
      'compatible: field added',
    ]);
    expect(changesAfter((d) => ((list(d, 'paths', '/todos', 'get', 'parameters')[0] as Json).required = true))).toEqual(
      ['breaking: optional input made required'],
    );
  });

  it('a status removed is breaking; one added is compatible', () => {
    expect(changesAfter((d) => delete node(d, 'paths', '/todos', 'get', 'responses')['404'])).toEqual([
      'breaking: response status 404 removed',
    ]);
    expect(changesAfter((d) => (node(d, 'paths', '/todos', 'post', 'responses')['409'] = {}))).toEqual([
      'compatible: response status 409 added',
    ]);
  });

  it('names each change by its JSON Pointer into the document', () => {
    const after = base();
    delete listedTodo(after).title;
    expect(compareContracts(base(), after)[0]?.path).toBe(
      '#/paths/~1todos/get/responses/200/content/application~1json/schema/items/properties/title',
    );
  });
});

describe('named schemas and alternatives', () => {
  /** `base()` with the list's item moved into `components.schemas.Todo`, as the generator names it. */
  const named = (): Json => {
    const document = base();
    const schema = todoList(document);
    document.components = { schemas: { Todo: schema.items } };
    schema.items = { $ref: '#/components/schemas/Todo' };
    return document;
  };

  it('finds nothing when a schema only moves into components', () => {
    expect(compareContracts(base(), named())).toEqual([]);
  });

  it('reports a change inside a named schema on the route that carries it', () => {
    const after = named();
    delete node(after, 'components', 'schemas', 'Todo', 'properties').title;
    expect(compareContracts(named(), after)).toEqual([
      {
        kind: 'breaking',
        path: '#/paths/~1todos/get/responses/200/content/application~1json/schema/items/properties/title',
        message: 'response field removed',
      },
    ]);
  });

  it('an input limited to listed values is breaking; an answer so limited is not', () => {
    const after = base();
    createdTodo(after).note = { type: 'string', enum: ['a', 'b'] };
    listedTodo(after).title = { type: 'string', enum: ['a', 'b'] };
    expect(compareContracts(base(), after).map(({ kind, message }) => `${kind} ${message}`)).toEqual([
      'compatible now one of 2 listed values',
      'breaking now one of 2 listed values',
    ]);
  });

  it('compares alternatives one by one: a description added to one is no change', () => {
    const withAlternatives = (description?: string): Json => {
      const document = base();
      createdTodo(document).note = {
        anyOf: [{ type: 'string', ...(description ? { description } : {}) }, { type: 'null' }],
      };
      return document;
    };
    expect(compareContracts(withAlternatives(), withAlternatives('a note'))).toEqual([]);
  });
});

describe('the contract against its latest release', () => {
  it('has no change the released document does not allow', () => {
    const releasedDir = new URL('../openapi/released/', import.meta.url);
    const versions = readdirSync(releasedDir).map((file) => file.replace(/\.json$/, ''));
    const latest = sortVersions(versions).at(-1);
    const released = JSON.parse(readFileSync(new URL(`${latest}.json`, releasedDir), 'utf8'));
    const breaking = compareContracts(released, JSON.parse(JSON.stringify(openApiDocument({})))).filter(
      (change) => change.kind === 'breaking',
    );
    expect(breaking).toEqual([]);
  });
});

describe('versions', () => {
  it('allow breaking changes with a major bump, or a minor one while at 0.x', () => {
    expect(allowsBreakingChanges('0.1.0', '0.2.0')).toBe(true);
    expect(allowsBreakingChanges('0.1.0', '0.1.1')).toBe(false);
    expect(allowsBreakingChanges('0.1.0', '1.0.0')).toBe(true);
    expect(allowsBreakingChanges('1.2.3', '2.0.0')).toBe(true);
    expect(allowsBreakingChanges('1.2.3', '1.3.0')).toBe(false);
  });

  it('sort numerically', () => {
    expect(sortVersions(['0.10.0', '0.2.0', '1.0.0', '0.2.1'])).toEqual(['0.2.0', '0.2.1', '0.10.0', '1.0.0']);
  });
});
