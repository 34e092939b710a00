import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTRACT_VERSION_HEADER, type ContractRouter } from '@lockstep/contract';
import { openMigratedDatabase } from '@lockstep/db';
import express from 'express';
import { accessChecker } from '../auth/access.js';
import { bindOperations, type Operations } from '../core/operation.js';
import { errorHandler } from '../http/middleware/error-handler.js';
import { jsonBody } from '../http/middleware/json-body.js';
import { requestContext } from '../http/request-context.js';
import { mountRestRoutes } from '../http/rest.js';
import { IdempotencyService } from '../idempotency/idempotency-keys.js';
import { createLogger } from '../logger.js';

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
    db,
    checkAccess: accessChecker({ production: false }),
    idempotency,
    countUse: undefined,
  });
  app.use(
    errorHandler(
      createLogger({ logLevel: 'silent', telemetry: { traces: false, metricExporters: [], metricsPort: undefined } }),
      idempotency,
    ),
  );
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
