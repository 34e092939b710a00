// Configuration for the stock Prisma CLI (`prisma migrate deploy`, `prisma studio`, ...), which
// works on the same schemas and migrations as the download-free commands of this package. The
// engine follows DATABASE_URL, as with every lockstep command: a postgresql:// URL selects the
// derived PostgreSQL schema (written by the build) and its own migrations.
import { defineConfig } from 'prisma/config';

// The same default as every lockstep command: data/lockstep.db at the repository root.
const url = process.env.DATABASE_URL ?? 'file:../../data/lockstep.db';
const folder = /^postgres(ql)?:\/\//.test(url) ? 'prisma/postgresql' : 'prisma';

export default defineConfig({
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  datasource: { url },
});
