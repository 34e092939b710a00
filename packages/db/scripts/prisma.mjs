#!/usr/bin/env node
// Runs the Prisma CLI without letting it download its native schema engine.
//
// `prisma generate` only checks that a schema-engine executable exists; it never calls it.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at this Node binary satisfies that check, so generation
// works on air-gapped machines. Migrations do not go through here: they use the Wasm engine
// (src/migrate.ts). Where a real engine is configured, it is left alone.
//
// `generate` makes both clients: the PostgreSQL schema is derived from the SQLite one first
// (scripts/postgresql-schema.mjs), then each schema is generated. Other commands pass through.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writePostgresqlSchema } from './postgresql-schema.mjs';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

const root = new URL('../', import.meta.url);
const prisma = (args) =>
  spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env, cwd: new URL(root).pathname }).status ?? 1;

const args = process.argv.slice(2);
if (args[0] === 'generate' && !args.includes('--schema')) {
  await writePostgresqlSchema(root);
  const sqlite = prisma([...args, '--schema', 'prisma/schema.prisma']);
  process.exit(sqlite || prisma([...args, '--schema', 'prisma/postgresql/schema.prisma']));
}
process.exit(prisma(args));
