-- CreateTable
CREATE TABLE "changes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "resource" TEXT NOT NULL,
    "ownerId" TEXT,
    "parentId" INTEGER,
    "itemId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "item" TEXT,
    "etag" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "changes_createdAt_idx" ON "changes"("createdAt");

-- CreateIndex
CREATE INDEX "changes_resource_id_idx" ON "changes"("resource", "id");
