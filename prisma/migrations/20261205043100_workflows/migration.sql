-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "workflows";

-- CreateEnum
CREATE TYPE "workflows"."WorkflowRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "workflows"."workflows" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "trigger" JSONB NOT NULL,
    "steps" JSONB NOT NULL,
    "scopes" TEXT[],
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "workflows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflows"."workflow_versions" (
    "workflow_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_versions_pkey" PRIMARY KEY ("workflow_id","version")
);

-- CreateTable
CREATE TABLE "workflows"."workflow_runs" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "workflows"."WorkflowRunStatus" NOT NULL DEFAULT 'QUEUED',
    "trigger_payload" JSONB NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requested_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflows"."workflow_step_runs" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "workflows"."WorkflowRunStatus" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "output" JSONB,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "workflow_step_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workflows_organization_id_created_at_id_idx" ON "workflows"."workflows"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "workflow_runs_organization_id_created_at_id_idx" ON "workflows"."workflow_runs"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "workflow_runs_workflow_id_created_at_id_idx" ON "workflows"."workflow_runs"("workflow_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "workflow_runs_organization_id_status_idx" ON "workflows"."workflow_runs"("organization_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_step_runs_run_id_key_key" ON "workflows"."workflow_step_runs"("run_id", "key");

-- AddForeignKey
ALTER TABLE "workflows"."workflow_versions" ADD CONSTRAINT "workflow_versions_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"."workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflows"."workflow_runs" ADD CONSTRAINT "workflow_runs_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"."workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflows"."workflow_runs" ADD CONSTRAINT "workflow_runs_workflow_id_version_fkey" FOREIGN KEY ("workflow_id", "version") REFERENCES "workflows"."workflow_versions"("workflow_id", "version") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflows"."workflow_step_runs" ADD CONSTRAINT "workflow_step_runs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "workflows"."workflow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
