export { openDatabase, isDatabaseReachable, type Database } from './database.js';
export { applyMigrations, createMigration, type MigrateOptions, type CreatedMigration } from './migrate.js';
export { seedIfEmpty, type SeedResult } from './seed.js';
export { schemaEngineVersion } from './schema-engine.js';
export { migrationsDir, schemaPath, fixturePath } from './paths.js';
export { Prisma } from './generated/prisma/client.js';
export type { Todo as TodoRow, User as UserRow } from './generated/prisma/client.js';
