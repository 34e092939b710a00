import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { accessOf, contract, contractRoutes, ERROR_STATUSES, openApiDocument } from './index.js';

const committedPath = fileURLToPath(new URL('../openapi.json', import.meta.url));
const seed = JSON.parse(
  readFileSync(new URL('../../db/fixtures/jsonplaceholder/db.json', import.meta.url), 'utf8'),
) as { todos: unknown[]; users: unknown[] };
const document = openApiDocument({ todos: seed.todos[0], users: seed.users[0] });

type Operation = { operationId: string; security: Array<Record<string, string[]>>; responses: Record<string, unknown> };
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
    const fromDocument = operations.map(({ path, method, operation }) => `${method} ${path} ${operation.operationId}`);
    expect(fromDocument.sort()).toEqual(fromContract.sort());
  });

  it('declares every error status as a problem, and security from each route’s access', () => {
    for (const { key, route } of contractRoutes(contract)) {
      const found = operations.find(({ operation }) => operation.operationId === key.join('.'));
      for (const status of ERROR_STATUSES) {
        expect(found?.operation.responses[String(status)]).toEqual({ $ref: `#/components/responses/Problem${status}` });
      }
      const scope = route.method === 'GET' ? 'read' : 'write';
      if (accessOf(route) === 'owner') expect(found?.operation.security).toEqual([{ apiKey: [scope] }]);
      else expect(found?.operation.security).toContainEqual({});
    }
  });

  it('is committed as generated: change the contract, build, and commit packages/contract/openapi.json', () => {
    expect(committed()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
