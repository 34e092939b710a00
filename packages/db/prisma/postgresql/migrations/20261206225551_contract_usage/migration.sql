-- CreateTable
CREATE TABLE "contract_usage" (
    "consumerVersion" TEXT COLLATE "C" NOT NULL,
    "route" TEXT COLLATE "C" NOT NULL,
    "day" TEXT COLLATE "C" NOT NULL,
    "count" BIGINT NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contract_usage_pkey" PRIMARY KEY ("consumerVersion","route","day")
);

-- CreateIndex
CREATE INDEX "contract_usage_day_idx" ON "contract_usage"("day");
