-- CreateTable
CREATE TABLE "contract_usage" (
    "consumerVersion" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    "lastSeen" DATETIME NOT NULL,

    PRIMARY KEY ("consumerVersion", "route", "day")
);

-- CreateIndex
CREATE INDEX "contract_usage_day_idx" ON "contract_usage"("day");
