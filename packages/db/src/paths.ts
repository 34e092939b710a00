import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files this package ships beside its compiled code (works from src/ and dist/ alike). */
const packageRoot = new URL('../', import.meta.url);
const packageFile = (path: string) => fileURLToPath(new URL(path, packageRoot));

/** The database engines lockstep runs on; a `DATABASE_URL`'s scheme picks one. */
export type Engine = 'sqlite' | 'postgresql';

/**
 * Each engine's Prisma schema and committed migrations. The SQLite schema is the one written by
 * hand; the PostgreSQL one is derived from it by the build (scripts/postgresql-schema.mjs).
 */
export const ENGINE_FILES: Record<Engine, { schemaPath: string; migrationsDir: string }> = {
  sqlite: { schemaPath: packageFile('prisma/schema.prisma'), migrationsDir: packageFile('prisma/migrations') },
  postgresql: {
    schemaPath: packageFile('prisma/postgresql/schema.prisma'),
    migrationsDir: packageFile('prisma/postgresql/migrations'),
  },
};

export const schemaPath = ENGINE_FILES.sqlite.schemaPath;
export const migrationsDir = ENGINE_FILES.sqlite.migrationsDir;
export const fixturePath = packageFile('fixtures/jsonplaceholder/db.json');

/** `file:` selects the embedded SQLite; `postgresql://` or `postgres://` a PostgreSQL server. */
export function engineOf(url: string): Engine {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(
    `DATABASE_URL must be a SQLite file: URL (file:./data/lockstep.db) or a PostgreSQL URL (postgresql://user@host:5432/db), got "${redactedUrl(url)}".`,
  );
}

/** A URL fit for messages and logs: any password replaced by `***`. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * The one default database of every lockstep command (the server, `keys:*`, `migrate:apply`,
 * `seed`, and the stock Prisma CLI through prisma.config.ts): `data/lockstep.db` at the root of
 * the repository, whichever folder a command runs from.
 */
export const DEFAULT_DATABASE_URL = `file:${fileURLToPath(new URL('../../data/lockstep.db', packageRoot))}`;

/**
 * A database URL as every command uses it: a relative `file:` path is taken from `cwd`, where
 * the command was typed; a PostgreSQL URL is used as it is.
 */
export function resolveDatabaseUrl(url: string, cwd: string): string {
  if (engineOf(url) === 'postgresql') return url;
  return `file:${resolve(cwd, url.slice('file:'.length))}`;
}
