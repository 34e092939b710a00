import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files this package ships beside its compiled code (works from src/ and dist/ alike). */
const packageRoot = new URL('../', import.meta.url);

export const schemaPath = fileURLToPath(new URL('prisma/schema.prisma', packageRoot));
export const migrationsDir = fileURLToPath(new URL('prisma/migrations', packageRoot));
export const fixturePath = fileURLToPath(new URL('fixtures/jsonplaceholder/db.json', packageRoot));

/**
 * The one default database of every lockstep command (the server, `keys:*`, `migrate:apply`,
 * `seed`, and the stock Prisma CLI through prisma.config.ts): `data/lockstep.db` at the root of
 * the repository, whichever folder a command runs from.
 */
export const DEFAULT_DATABASE_URL = `file:${fileURLToPath(new URL('../../data/lockstep.db', packageRoot))}`;

/** A `file:` URL made absolute: a relative path is taken from `cwd`, where the command was typed. */
export function resolveDatabaseUrl(url: string, cwd: string): string {
  if (!url.startsWith('file:')) throw new Error(`DATABASE_URL must be a file: URL for SQLite, got "${url}".`);
  return `file:${resolve(cwd, url.slice('file:'.length))}`;
}
