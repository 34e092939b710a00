export type { JsonColumn, JsonValue } from './column-types.js';
export {
  type ConstraintFailure,
  constraintFailure,
  type DataAccess,
  type Database,
  isWriteConflict,
  type OpenOptions,
  openDatabase,
  type PoolUse,
  pauseBeforeRetry,
  type Queries,
  WRITE_ATTEMPTS,
} from './database.js';
export type { DB } from './generated/kysely.js';
export {
  applyMigrations,
  type CreatedMigration,
  type CreateMigrationOptions,
  createMigration,
  type MigratedDatabase,
  type MigrateOptions,
  migrateIfPending,
  migrationFolderName,
  type OpenMigratedOptions,
  openMigratedDatabase,
  pendingMigrations,
} from './migrate.js';
export { listenForNotifications, type NotificationHandlers, type NotificationListener } from './notifications.js';
export {
  DEFAULT_DATABASE_URL,
  ENGINE_FILES,
  type Engine,
  engineOf,
  fixturePath,
  migrationsDir,
  redactedUrl,
  resolveDatabaseUrl,
  schemaPath,
} from './paths.js';
export {
  dropPostgresqlDatabase,
  dropPostgresqlDatabases,
  ensurePostgresqlDatabase,
  LOCAL_POSTGRESQL_URL,
  postgresqlDatabaseUrl,
  throwawayPostgresqlDatabase,
} from './postgresql.js';
export { schemaEngineVersion } from './schema-engine.js';
export { advanceIdSequences, type SeedResult, seedIfEmpty } from './seed.js';
