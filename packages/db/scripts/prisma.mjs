#!/usr/bin/env node
// Runs the Prisma CLI without letting it download its native schema engine.
//
// `prisma generate` only checks that a schema-engine executable exists; it never calls it.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at this Node binary satisfies that check, so generation
// works on air-gapped machines. Migrations do not go through here: they use the Wasm engine
// (src/migrate.ts). Where a real engine is configured, it is left alone.
//
// `generate` derives the PostgreSQL schema from the SQLite one (scripts/postgresql-schema.mjs; it
// serves PostgreSQL's migrations), then generates Kysely's types from the SQLite schema. Other
// commands pass through.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePostgresqlSchema } from './postgresql-schema.mjs';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

const root = new URL('../', import.meta.url);
const env = {
  ...process.env,
  // Prisma runs a generator's provider (prisma-kysely) as a command: found in this package's bins
  // however this script is started, not only under `pnpm run`.
  PATH: [fileURLToPath(new URL('node_modules/.bin', root)), process.env.PATH].join(delimiter),
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

const prisma = (args) =>
  spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env, cwd: new URL(root).pathname }).status ?? 1;

const args = process.argv.slice(2);
if (args[0] === 'generate' && !args.includes('--schema')) {
  await writePostgresqlSchema(root);
  process.exit(prisma([...args, '--schema', 'prisma/schema.prisma']));
}
process.exit(prisma(args));
