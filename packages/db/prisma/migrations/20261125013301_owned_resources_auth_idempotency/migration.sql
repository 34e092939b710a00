-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "transactions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ownerId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME,
    "location" TEXT,
    "capacity" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "guests" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "rsvp" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "guests_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "events" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "status" INTEGER,
    "headers" TEXT,
    "body" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("scope", "key")
);

-- CreateIndex
CREATE INDEX "api_keys_ownerId_idx" ON "api_keys"("ownerId");

-- CreateIndex
CREATE INDEX "transactions_ownerId_id_idx" ON "transactions"("ownerId", "id");

-- CreateIndex
CREATE INDEX "transactions_ownerId_occurredAt_id_idx" ON "transactions"("ownerId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "transactions_ownerId_amount_id_idx" ON "transactions"("ownerId", "amount", "id");

-- CreateIndex
CREATE INDEX "transactions_ownerId_currency_id_idx" ON "transactions"("ownerId", "currency", "id");

-- CreateIndex
CREATE INDEX "transactions_ownerId_currency_occurredAt_id_idx" ON "transactions"("ownerId", "currency", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "transactions_ownerId_currency_amount_id_idx" ON "transactions"("ownerId", "currency", "amount", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_id_idx" ON "events"("ownerId", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_startsAt_id_idx" ON "events"("ownerId", "startsAt", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_name_id_idx" ON "events"("ownerId", "name", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_location_id_idx" ON "events"("ownerId", "location", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_location_startsAt_id_idx" ON "events"("ownerId", "location", "startsAt", "id");

-- CreateIndex
CREATE INDEX "events_ownerId_location_name_id_idx" ON "events"("ownerId", "location", "name", "id");

-- CreateIndex
CREATE INDEX "guests_eventId_id_idx" ON "guests"("eventId", "id");

-- CreateIndex
CREATE INDEX "guests_eventId_name_id_idx" ON "guests"("eventId", "name", "id");

-- CreateIndex
CREATE INDEX "guests_eventId_rsvp_id_idx" ON "guests"("eventId", "rsvp", "id");

-- CreateIndex
CREATE INDEX "guests_eventId_rsvp_name_id_idx" ON "guests"("eventId", "rsvp", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "guests_eventId_email_key" ON "guests"("eventId", "email");

-- CreateIndex
CREATE INDEX "idempotency_keys_expiresAt_idx" ON "idempotency_keys"("expiresAt");

-- CreateIndex
CREATE INDEX "todos_title_id_idx" ON "todos"("title", "id");

-- CreateIndex
CREATE INDEX "todos_userId_title_id_idx" ON "todos"("userId", "title", "id");

-- CreateIndex
CREATE INDEX "todos_completed_title_id_idx" ON "todos"("completed", "title", "id");

-- CreateIndex
CREATE INDEX "todos_userId_completed_title_id_idx" ON "todos"("userId", "completed", "title", "id");

-- CreateIndex
CREATE INDEX "users_name_id_idx" ON "users"("name", "id");

-- CreateIndex
CREATE INDEX "users_username_id_idx" ON "users"("username", "id");

-- CreateIndex
CREATE INDEX "users_email_id_idx" ON "users"("email", "id");
