export { type Database, isDatabaseReachable, openDatabase } from './database.js';
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
export { fixturePath, migrationsDir, schemaPath } from './paths.js';
export { schemaEngineVersion } from './schema-engine.js';
export { type SeedResult, seedIfEmpty } from './seed.js';
