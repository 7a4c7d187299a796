-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "audit";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "jobs";

-- CreateEnum
CREATE TYPE "audit"."AuditActorType" AS ENUM ('USER', 'API_KEY', 'SYSTEM', 'ANONYMOUS');

-- CreateEnum
CREATE TYPE "audit"."AuditSeverity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "audit"."AuditExportFormat" AS ENUM ('CSV', 'NDJSON');

-- CreateEnum
CREATE TYPE "audit"."AuditExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "jobs"."JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "audit"."entries" (
    "id" UUID NOT NULL,
    "chain_key" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "organization_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "actor_type" "audit"."AuditActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "changes" JSONB,
    "severity" "audit"."AuditSeverity" NOT NULL DEFAULT 'INFO',
    "request_id" TEXT,
    "client_ip" TEXT,
    "user_agent" TEXT,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit"."chain_heads" (
    "chain_key" TEXT NOT NULL,
    "last_sequence" INTEGER NOT NULL,
    "last_hash" TEXT NOT NULL,

    CONSTRAINT "chain_heads_pkey" PRIMARY KEY ("chain_key")
);

-- CreateTable
CREATE TABLE "audit"."exports" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "format" "audit"."AuditExportFormat" NOT NULL,
    "filter" JSONB NOT NULL,
    "status" "audit"."AuditExportStatus" NOT NULL DEFAULT 'QUEUED',
    "up_to_sequence" INTEGER,
    "row_count" INTEGER,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "exports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs"."jobs" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "jobs"."JobStatus" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "entries_organization_id_occurred_at_idx" ON "audit"."entries"("organization_id", "occurred_at");

-- CreateIndex
CREATE INDEX "entries_organization_id_actor_id_idx" ON "audit"."entries"("organization_id", "actor_id");

-- CreateIndex
CREATE INDEX "entries_organization_id_target_type_target_id_idx" ON "audit"."entries"("organization_id", "target_type", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "entries_chain_key_sequence_key" ON "audit"."entries"("chain_key", "sequence");

-- CreateIndex
CREATE INDEX "exports_organization_id_created_at_idx" ON "audit"."exports"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "jobs_queue_status_run_at_idx" ON "jobs"."jobs"("queue", "status", "run_at");

-- Append-only audit trail, enforced by the database itself (Prisma cannot express this,
-- so it is written by hand). Every role, table owner and superuser included, is refused
-- UPDATE, DELETE and TRUNCATE on audit entries by the triggers; the grants take the
-- privileges away from everyone but the owner as well.
CREATE FUNCTION "audit"."refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "entries_refuse_update_delete"
  BEFORE UPDATE OR DELETE ON "audit"."entries"
  FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();

CREATE TRIGGER "entries_refuse_truncate"
  BEFORE TRUNCATE ON "audit"."entries"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();

REVOKE UPDATE, DELETE, TRUNCATE ON "audit"."entries" FROM PUBLIC;
