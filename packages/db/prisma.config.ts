// Configuration for the stock Prisma CLI (`prisma migrate deploy`, `prisma studio`, ...), which
// works on the same schema and migrations as the download-free commands of this package.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // The same default as every lockstep command: data/lockstep.db at the repository root.
  datasource: { url: process.env.DATABASE_URL ?? 'file:../../data/lockstep.db' },
});
