-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "analytics";

-- CreateEnum
CREATE TYPE "analytics"."RollupGrain" AS ENUM ('HOUR', 'DAY');

-- CreateTable
CREATE TABLE "analytics"."rollups" (
    "organization_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "grain" "analytics"."RollupGrain" NOT NULL,
    "dimension_name" TEXT NOT NULL DEFAULT '',
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "dimension" TEXT NOT NULL DEFAULT '',
    "value" DECIMAL(90,6) NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "histogram" BIGINT[] DEFAULT ARRAY[]::BIGINT[],

    CONSTRAINT "rollups_pkey" PRIMARY KEY ("organization_id","metric","grain","dimension_name","bucket","dimension")
);

-- CreateTable
CREATE TABLE "analytics"."ingest_cursors" (
    "source" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT '1970-01-01 00:00:00 +00:00',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_cursors_pkey" PRIMARY KEY ("source","key")
);

-- CreateTable
CREATE TABLE "analytics"."gauge_levels" (
    "organization_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "dimension" TEXT NOT NULL DEFAULT '',
    "value" DECIMAL(90,6) NOT NULL,

    CONSTRAINT "gauge_levels_pkey" PRIMARY KEY ("organization_id","metric","dimension")
);

-- CreateTable
CREATE TABLE "analytics"."pending_events" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "dimension" TEXT NOT NULL DEFAULT '',
    "value" DECIMAL(90,6) NOT NULL DEFAULT 1,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT,
    "details" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics"."counted_rows" (
    "source" TEXT NOT NULL,
    "row_id" TEXT NOT NULL,
    "counted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "counted" JSONB,

    CONSTRAINT "counted_rows_pkey" PRIMARY KEY ("source","row_id")
);

-- CreateIndex
CREATE INDEX "pending_events_received_at_idx" ON "analytics"."pending_events"("received_at");

-- CreateIndex
CREATE INDEX "counted_rows_counted_at_idx" ON "analytics"."counted_rows"("counted_at");

-- CreateIndex
CREATE INDEX "webhook_attempts_created_at_idx" ON "integrations"."webhook_attempts"("created_at");

-- CreateIndex
CREATE INDEX "token_transactions_updated_at_idx" ON "tokens"."token_transactions"("updated_at");
