#!/usr/bin/env node
// Download-free database commands:
//   migrate:create NAME   write a migration from the schema (like `prisma migrate dev --create-only`),
//                         one per engine, in one folder name; --engine sqlite|postgresql for one only.
//                         PostgreSQL's is replayed on a scratch database on MIGRATION_SCRATCH_URL's
//                         server (default postgresql://postgres@127.0.0.1:5432/postgres).
//   migrate:apply         apply pending migrations (like `prisma migrate deploy`)
//   seed                  load the JSONPlaceholder fixture into an empty database
// The database is DATABASE_URL (a file: or postgresql:// URL), or the default of every lockstep
// command (DEFAULT_DATABASE_URL).
import { parseArgs } from 'node:util';
import { openDatabase } from './database.js';
import { createMigration, migrateIfPending, migrationFolderName } from './migrate.js';
import { DEFAULT_DATABASE_URL, type Engine, resolveDatabaseUrl } from './paths.js';
import { seedIfEmpty } from './seed.js';

const USAGE = 'usage: lockstep-db migrate:create NAME [--engine sqlite|postgresql] | migrate:apply | seed';
const ENGINES: readonly Engine[] = ['sqlite', 'postgresql'];

/** Relative `file:` paths are taken from the directory pnpm was invoked in, like the server does. */
const databaseUrl = (): string =>
  resolveDatabaseUrl(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, process.env.INIT_CWD ?? process.cwd());

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { engine: { type: 'string' } },
  });
  const [command, name] = positionals;
  switch (command) {
    case 'migrate:create': {
      if (!name) throw new Error(`migrate:create needs a name.\n${USAGE}`);
      const engines = values.engine ? ENGINES.filter((engine) => engine === values.engine) : ENGINES;
      if (engines.length === 0) throw new Error(`--engine must be sqlite or postgresql.\n${USAGE}`);
      // Both engines' migrations of one change share a folder name.
      const folder = migrationFolderName(name);
      for (const engine of engines) {
        const created = await createMigration(name, {
          engine,
          folder,
          scratchServerUrl: process.env.MIGRATION_SCRATCH_URL,
        });
        const where = engine === 'sqlite' ? 'prisma/migrations' : 'prisma/postgresql/migrations';
        console.log(
          created.name
            ? `${engine}: created ${where}/${created.name}/migration.sql`
            : `${engine}: schema and migrations agree; nothing to create.`,
        );
      }
      return 0;
    }
    case 'migrate:apply': {
      // The same preparation as the server's: a missing PostgreSQL database is created, and
      // concurrent appliers wait on one another.
      const applied = await migrateIfPending({ url: databaseUrl() });
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'No pending migrations.');
      return 0;
    }
    case 'seed': {
      const db = await openDatabase(databaseUrl());
      try {
        const result = await seedIfEmpty(db);
        console.log(
          result.seeded
            ? `Seeded ${result.users} users and ${result.todos} todos.`
            : 'Database already holds data; not seeded.',
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
