-- DropIndex
DROP INDEX "workflows"."workflow_runs_organization_id_status_idx";

-- AlterTable
ALTER TABLE "integrations"."webhook_events" ADD COLUMN     "causation" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "workflows"."workflow_runs" ADD COLUMN     "causation" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "current_step" TEXT,
ADD COLUMN     "deadline_at" TIMESTAMPTZ(3),
ADD COLUMN     "dedupe_key" TEXT,
ADD COLUMN     "trigger_type" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "workflows"."workflow_step_runs" ADD COLUMN     "attempt_limit" INTEGER NOT NULL,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "not_before" TIMESTAMPTZ(3),
ADD COLUMN     "sequence" INTEGER NOT NULL;

-- AlterTable
ALTER TABLE "workflows"."workflows" ADD COLUMN     "inbound_secret" TEXT;

-- CreateTable
CREATE TABLE "workflows"."workflow_schedules" (
    "workflow_id" UUID NOT NULL,
    "next_tick_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_schedules_pkey" PRIMARY KEY ("workflow_id")
);

-- CreateTable
CREATE TABLE "workflows"."workflow_event_cursor" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "read_up_to" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_event_cursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflows"."workflow_event_receipts" (
    "event_id" UUID NOT NULL,
    "event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_event_receipts_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "workflow_schedules_next_tick_at_idx" ON "workflows"."workflow_schedules"("next_tick_at");

-- CreateIndex
CREATE INDEX "workflow_event_receipts_event_at_idx" ON "workflows"."workflow_event_receipts"("event_at");

-- CreateIndex
CREATE INDEX "webhook_events_created_at_idx" ON "integrations"."webhook_events"("created_at");

-- CreateIndex
CREATE INDEX "workflow_runs_organization_id_status_created_at_idx" ON "workflows"."workflow_runs"("organization_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_runs_workflow_id_dedupe_key_key" ON "workflows"."workflow_runs"("workflow_id", "dedupe_key");

-- AddForeignKey
ALTER TABLE "workflows"."workflow_schedules" ADD CONSTRAINT "workflow_schedules_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"."workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
