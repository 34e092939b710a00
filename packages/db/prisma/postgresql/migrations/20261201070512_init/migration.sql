-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "username" TEXT COLLATE "C",
    "email" TEXT COLLATE "C",
    "phone" TEXT COLLATE "C",
    "website" TEXT COLLATE "C",
    "address" JSON,
    "company" JSON,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "todos" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "title" TEXT COLLATE "C" NOT NULL,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "todos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "ownerId" TEXT COLLATE "C" NOT NULL,
    "secretHash" TEXT COLLATE "C" NOT NULL,
    "scopes" TEXT COLLATE "C" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transactions" (
    "id" SERIAL NOT NULL,
    "ownerId" TEXT COLLATE "C" NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT COLLATE "C" NOT NULL,
    "description" TEXT COLLATE "C" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" SERIAL NOT NULL,
    "ownerId" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "location" TEXT COLLATE "C",
    "capacity" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guests" (
    "id" SERIAL NOT NULL,
    "eventId" INTEGER NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "email" TEXT COLLATE "C" NOT NULL,
    "rsvp" TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "guests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "scope" TEXT COLLATE "C" NOT NULL,
    "key" TEXT COLLATE "C" NOT NULL,
    "method" TEXT COLLATE "C" NOT NULL,
    "path" TEXT COLLATE "C" NOT NULL,
    "requestHash" TEXT COLLATE "C" NOT NULL,
    "state" TEXT COLLATE "C" NOT NULL,
    "status" INTEGER,
    "headers" TEXT COLLATE "C",
    "body" TEXT COLLATE "C",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "users_name_id_idx" ON "users"("name", "id");

-- CreateIndex
CREATE INDEX "users_username_id_idx" ON "users"("username", "id");

-- CreateIndex
CREATE INDEX "users_email_id_idx" ON "users"("email", "id");

-- CreateIndex
CREATE INDEX "todos_userId_id_idx" ON "todos"("userId", "id");

-- CreateIndex
CREATE INDEX "todos_completed_id_idx" ON "todos"("completed", "id");

-- CreateIndex
CREATE INDEX "todos_userId_completed_id_idx" ON "todos"("userId", "completed", "id");

-- CreateIndex
CREATE INDEX "todos_title_id_idx" ON "todos"("title", "id");

-- CreateIndex
CREATE INDEX "todos_userId_title_id_idx" ON "todos"("userId", "title", "id");

-- CreateIndex
CREATE INDEX "todos_completed_title_id_idx" ON "todos"("completed", "title", "id");

-- CreateIndex
CREATE INDEX "todos_userId_completed_title_id_idx" ON "todos"("userId", "completed", "title", "id");

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

-- AddForeignKey
ALTER TABLE "todos" ADD CONSTRAINT "todos_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guests" ADD CONSTRAINT "guests_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
