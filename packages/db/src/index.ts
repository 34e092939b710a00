export {
  type Database,
  type DatabaseReader,
  type DatabaseTransaction,
  isDatabaseReachable,
  openDatabase,
} from './database.js';
export type { Todo as TodoRow, User as UserRow } from './generated/prisma/client.js';
export { Prisma } from './generated/prisma/client.js';
export {
  applyMigrations,
  type CreatedMigration,
  createMigration,
  type MigrateOptions,
  migrateIfPending,
  openMigratedDatabase,
  pendingMigrations,
} from './migrate.js';
export { DEFAULT_DATABASE_URL, fixturePath, migrationsDir, resolveDatabaseUrl, schemaPath } from './paths.js';
export { schemaEngineVersion } from './schema-engine.js';
export { type SeedResult, seedIfEmpty } from './seed.js';
