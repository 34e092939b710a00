-- CreateTable
CREATE TABLE "changes" (
    "id" SERIAL NOT NULL,
    "resource" TEXT COLLATE "C" NOT NULL,
    "ownerId" TEXT COLLATE "C",
    "parentId" INTEGER,
    "itemId" INTEGER NOT NULL,
    "kind" TEXT COLLATE "C" NOT NULL,
    "item" TEXT COLLATE "C",
    "etag" TEXT COLLATE "C",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "changes_createdAt_idx" ON "changes"("createdAt");

-- CreateIndex
CREATE INDEX "changes_resource_id_idx" ON "changes"("resource", "id");
