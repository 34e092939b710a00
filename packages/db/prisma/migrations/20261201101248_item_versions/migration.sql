-- Written by hand in place of Prisma's generated table redefinitions: SQLite adds a NOT NULL
-- column with a constant default in place, without copying every row (the schema ends the
-- same; db.test.ts fails if the migrations and schema.prisma disagree).

-- AlterTable
ALTER TABLE "events" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "guests" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "todos" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "transactions" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "users" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
