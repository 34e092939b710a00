/**
 * Global set-up of the PostgreSQL test run (`LOCKSTEP_TEST_ENGINE=postgresql`): one template
 * database, migrated and seeded exactly as a server start does it, which every test server
 * copies (`CREATE DATABASE … TEMPLATE`, far faster than migrating each). At the end every
 * database of the run is dropped, whatever the tests left behind.
 */
import { randomBytes } from 'node:crypto';
import { dropPostgresqlDatabases, openMigratedDatabase, postgresqlDatabaseUrl } from '@lockstep/db';
import type { TestProject } from 'vitest/node';
import { testPostgresqlServer } from './postgresql-run.js';

export default async function setup(project: TestProject) {
  const serverUrl = testPostgresqlServer();
  const prefix = `lockstep_run_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_template`;
  const { db } = await openMigratedDatabase({ url: postgresqlDatabaseUrl(serverUrl, template), seed: true });
  await db.close();
  project.provide('postgresqlRun', { serverUrl, prefix, template });
  return async function teardown() {
    await dropPostgresqlDatabases(serverUrl, prefix);
  };
}
