-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ai";

-- CreateEnum
CREATE TYPE "ai"."AIMessageRole" AS ENUM ('USER', 'ASSISTANT', 'SYSTEM', 'TOOL');

-- CreateEnum
CREATE TYPE "ai"."AIMessageStatus" AS ENUM ('STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "ai"."conversations" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai"."messages" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "role" "ai"."AIMessageRole" NOT NULL,
    "content" TEXT NOT NULL DEFAULT '',
    "status" "ai"."AIMessageStatus" NOT NULL DEFAULT 'COMPLETE',
    "tool_calls" JSONB,
    "tool_call_id" TEXT,
    "prompt_tokens" INTEGER,
    "completion_tokens" INTEGER,
    "latency_ms" INTEGER,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai"."usage" (
    "organization_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "estimated_cost_micros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_pkey" PRIMARY KEY ("organization_id","day","model")
);

-- CreateTable
CREATE TABLE "ai"."settings" (
    "organization_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "provider" TEXT NOT NULL DEFAULT 'openai-compatible',
    "base_url" TEXT,
    "encrypted_api_key" TEXT,
    "model" TEXT,
    "temperature" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    "system_prompt" TEXT NOT NULL DEFAULT '',
    "monthly_token_quota" INTEGER,
    "allowed_tools" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "conversations_user_id_organization_id_updated_at_id_idx" ON "ai"."conversations"("user_id", "organization_id", "updated_at", "id");

-- CreateIndex
CREATE INDEX "messages_conversation_id_created_at_id_idx" ON "ai"."messages"("conversation_id", "created_at", "id");

-- AddForeignKey
ALTER TABLE "ai"."messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "ai"."conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
