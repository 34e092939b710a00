#!/usr/bin/env node
// Download-free database commands:
//   migrate:create NAME   write a migration from the schema (like `prisma migrate dev --create-only`)
//   migrate:apply         apply pending migrations (like `prisma migrate deploy`)
//   seed                  load the JSONPlaceholder fixture into an empty database
// The database is DATABASE_URL, or the default of every lockstep command (DEFAULT_DATABASE_URL).
import { parseArgs } from 'node:util';
import { openDatabase } from './database.js';
import { applyMigrations, createMigration } from './migrate.js';
import { DEFAULT_DATABASE_URL, resolveDatabaseUrl } from './paths.js';
import { seedIfEmpty } from './seed.js';

const USAGE = 'usage: lockstep-db migrate:create NAME | migrate:apply | seed';

/** Relative `file:` paths are taken from the directory pnpm was invoked in, like the server does. */
const databaseUrl = (): string =>
  resolveDatabaseUrl(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, process.env.INIT_CWD ?? process.cwd());

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command, name] = positionals;
  switch (command) {
    case 'migrate:create': {
      if (!name) throw new Error(`migrate:create needs a name.\n${USAGE}`);
      const created = await createMigration(name);
      console.log(
        created.name
          ? `Created prisma/migrations/${created.name}/migration.sql`
          : 'Schema and migrations agree; nothing to create.',
      );
      return 0;
    }
    case 'migrate:apply': {
      const applied = await applyMigrations({ url: databaseUrl() });
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
        await db.$disconnect();
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
