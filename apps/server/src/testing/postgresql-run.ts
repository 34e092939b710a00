import { LOCAL_POSTGRESQL_URL } from '@lockstep/db';

/** What one PostgreSQL test run shares: the prefix of its databases, and the template they copy. */
export interface PostgresqlRun {
  serverUrl: string;
  prefix: string;
  /** A database migrated and seeded once per run; each test server starts on a copy of it. */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the PostgreSQL run's global set-up (postgresql-setup.ts). */
    postgresqlRun?: PostgresqlRun;
  }
}

/** The local server tests create their PostgreSQL databases on (`LOCKSTEP_TEST_POSTGRES_URL`). */
export const testPostgresqlServer = (): string => process.env.LOCKSTEP_TEST_POSTGRES_URL ?? LOCAL_POSTGRESQL_URL;
