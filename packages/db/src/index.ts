export {
  type Database,
  type DatabaseReader,
  type DatabaseTransaction,
  databaseEngine,
  isDatabaseReachable,
  isWriteConflict,
  openDatabase,
  pauseBeforeRetry,
  retryingTransaction,
  shareOutsidePrisma,
  WRITE_ATTEMPTS,
} from './database.js';
export type { Todo as TodoRow, User as UserRow } from './generated/sqlite/client.js';
export { Prisma } from './generated/sqlite/client.js';
export { changedColumns, deleteItemRow, type ItemRowWrite, insertItemRow, updateItemRow } from './item-rows.js';
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
export { type ColumnValue, type Select, selectRows, sqlName } from './select.js';
export { type ConstraintFailure, constraintFailure } from './write-errors.js';
