import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION_HEADER, type ContractRouter, contract } from '@lockstep/contract';
import { openMigratedDatabase } from '@lockstep/db';
import { initContract } from '@ts-rest/core';
import express from 'express';
import { accessChecker } from '../auth/access.js';
import { ApiError } from '../core/api-error.js';
import { bindOperations, type Operations } from '../core/operation.js';
import { errorHandler } from '../http/middleware/error-handler.js';
import { jsonBody } from '../http/middleware/json-body.js';
import { requestContext } from '../http/request-context.js';
import { mountRestRoutes } from '../http/rest.js';
import { IdempotencyService } from '../idempotency/idempotency-keys.js';
import { createLogger } from '../logger.js';
import { requestData } from '../telemetry/query-spans.js';

const c = initContract();

/** The deprecation of the fixture below: deprecated since 1 November 2026, gone from 1 June 2027. */
export const TODOS_DEPRECATION = { since: '2026-11-01', sunset: '2027-06-01', link: 'https://example.com/todos-v2' };

/**
 * A contract whose todo reads are deprecated (the API's own routes, with `deprecated` in their
 * metadata) and whose create is not: what the tests of the headers, the client's hooks and the
 * docs page serve, so that no route of the real API has to be deprecated to show it.
 */
export const deprecatedTodosContract = c.router({
  todos: c.router({
    get: { ...contract.todos.get, metadata: { access: 'public', deprecated: TODOS_DEPRECATION } },
    list: { ...contract.todos.list, metadata: { access: 'public', deprecated: TODOS_DEPRECATION } },
    create: contract.todos.create,
  }),
});

/** The fixture's todo. */
export const FIXTURE_TODO = { userId: 1, id: 1, title: 'from the fixture', completed: false };

/** Its operations: todo 1 (any other id is a 404), a list of it with a next page, a create. */
export const deprecatedTodosOperations: Operations<typeof deprecatedTodosContract> = {
  todos: {
    get: async ({ params }) => {
      if (params.id !== 1) throw new ApiError(404, { detail: 'No such todo.' });
      return { status: 200, body: FIXTURE_TODO };
    },
    list: async () => ({ status: 200, body: [FIXTURE_TODO], next: 'page2' }),
    create: async ({ body }) => ({ status: 201, body: { ...body, id: 2 }, location: '/todos/2' }),
  },
};

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The REST front door serving a contract of a test's own (a route deprecated, say), with the
 * test's operations, on loopback: what the server does with a route's declarations, shown
 * without changing the API's contract. Its database is a SQLite file of its own;
 * `contractVersion` makes it claim another contract version than the one it was built with.
 */
export async function serveFixtureContract<C extends ContractRouter>(
  fixture: C,
  operations: Operations<C>,
  options: { contractVersion?: string } = {},
): Promise<FixtureServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-fixture-'));
  const { db } = await openMigratedDatabase({ url: pathToFileURL(join(dir, 'fixture.db')).href });
  const idempotency = new IdempotencyService(db);
  const dataOf = requestData(db, undefined);
  const app = express();
  app.use(requestContext());
  const { contractVersion } = options;
  if (contractVersion) {
    // A server of another contract version, as a client meets one after a deploy.
    app.use(function otherContractVersion(_req, res, next) {
      res.setHeader(CONTRACT_VERSION_HEADER, contractVersion);
      next();
    });
  }
  app.use(jsonBody());
  mountRestRoutes(app, {
    contract: fixture,
    routes: bindOperations(fixture, operations),
    dataOf,
    checkAccess: accessChecker({ production: false }),
    idempotency,
    countUse: undefined,
  });
  app.use(errorHandler(createLogger({ logLevel: 'silent' }), idempotency, dataOf));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
