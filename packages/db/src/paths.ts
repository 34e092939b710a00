import { fileURLToPath } from 'node:url';

/** Files this package ships beside its compiled code (works from src/ and dist/ alike). */
const packageRoot = new URL('../', import.meta.url);

export const schemaPath = fileURLToPath(new URL('prisma/schema.prisma', packageRoot));
export const migrationsDir = fileURLToPath(new URL('prisma/migrations', packageRoot));
export const fixturePath = fileURLToPath(new URL('fixtures/jsonplaceholder/db.json', packageRoot));
