#!/usr/bin/env node
// Runs the Prisma CLI without letting it download its native schema engine.
//
// `prisma generate` only checks that a schema-engine executable exists; it never calls it.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at this Node binary satisfies that check, so generation
// works on air-gapped machines. Migrations do not go through here: they use the Wasm engine
// (src/migrate.ts). Where a real engine is configured, it is left alone.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
  cwd: join(dirname(new URL(import.meta.url).pathname), '..'),
});
process.exit(result.status ?? 1);
