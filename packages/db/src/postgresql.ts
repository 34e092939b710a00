import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactedUrl } from './paths.js';

/** PostgreSQL's SQLSTATE for CREATE DATABASE of a name that exists. */
const DUPLICATE_DATABASE = '42P04';
/** ... and for a name asked for by two sessions at once (pg_database's unique index). */
const UNIQUE_VIOLATION = '23505';

/**
 * The advisory lock every lockstep instance takes to prepare a PostgreSQL database (migrate,
 * then seed), so instances starting together on an empty database run one after another: the
 * first migrates and seeds, the others find nothing pending. Any 64-bit number no other
 * application uses on this database; this one spells "lockstep" in ASCII.
 */
export const PREPARE_LOCK_KEY = 0x6c6f636b73746570n;

/** The local PostgreSQL server every scratch database goes on unless told otherwise. */
export const LOCAL_POSTGRESQL_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The URL of the database `name` on the server (and as the user) of `serverUrl`. */
export function postgresqlDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * A database for one piece of throwaway work (a migration's scratch replay, a test, a benchmark)
 * on the server of `serverUrl`, named `<prefix>_<random>`: not created yet, and dropped by `drop`.
 */
export function throwawayPostgresqlDatabase(
  prefix: string,
  serverUrl = LOCAL_POSTGRESQL_URL,
): { url: string; drop: () => Promise<void> } {
  const url = postgresqlDatabaseUrl(serverUrl, `${prefix}_${randomBytes(6).toString('hex')}`);
  return { url, drop: () => dropPostgresqlDatabase(url) };
}

const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** The database a PostgreSQL URL names, and the URL of the server's `postgres` database. */
function maintenanceTarget(url: string): { name: string; maintenanceUrl: string } {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL ${redactedUrl(url)} names no database (postgresql://host/NAME).`);
  return { name, maintenanceUrl: postgresqlDatabaseUrl(url, 'postgres') };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether a connection failed because its database does not exist (SQLSTATE 3D000). */
export const isMissingDatabase = (error: unknown): boolean => errorCode(error) === '3D000';

/**
 * Creates the database a URL names when it does not exist yet, so the first `pnpm start` on a
 * new server just works, as it does with SQLite. The database itself is tried first: a user
 * who may not reach the server's `postgres` database (common on managed services) is only
 * refused if the database really is missing. Several instances may create it at once: losing
 * that race is fine. Answers whether this call created it. `template` copies another database
 * of the server (tests start from one migrated and seeded copy).
 */
export async function ensurePostgresqlDatabase(url: string, options: { template?: string } = {}): Promise<boolean> {
  const exists = await withClient(url, async () => true).catch((error: unknown) => {
    if (isMissingDatabase(error)) return false;
    throw error;
  });
  return exists ? false : createPostgresqlDatabase(url, options);
}

/** Creates the database a URL names; false when someone else created it first. */
async function createPostgresqlDatabase(url: string, options: { template?: string }): Promise<boolean> {
  const { name, maintenanceUrl } = maintenanceTarget(url);
  return withClient(maintenanceUrl, async (client) => {
    const template = options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template)}` : '';
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`);
      return true;
    } catch (error) {
      if (errorCode(error) === DUPLICATE_DATABASE || errorCode(error) === UNIQUE_VIOLATION) return false;
      throw error;
    }
  });
}

/** Drops a database (tests' throwaway ones), ending any session still connected to it. */
export async function dropPostgresqlDatabase(url: string): Promise<void> {
  const { name, maintenanceUrl } = maintenanceTarget(url);
  await withClient(maintenanceUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** Drops every database of the server at `serverUrl` whose name starts with `prefix_`. */
export async function dropPostgresqlDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  return withClient(serverUrl, async (client) => {
    const found = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix.replace(/[\\_%]/g, '\\$&')}\\_%`,
    ]);
    for (const { datname } of found.rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    return found.rows.map((row) => row.datname);
  });
}

/**
 * Runs `work` holding the session-level advisory lock `key` on the database at `url`, waiting
 * for it as long as another session holds it. The lock lives on its own connection and is
 * released when `work` ends, or by PostgreSQL when that connection dies with its process. A
 * database that does not exist fails here (`isMissingDatabase`) before `work` runs.
 */
export async function withAdvisoryLock<T>(url: string, key: bigint, work: () => Promise<T>): Promise<T> {
  return withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
    }
  });
}
