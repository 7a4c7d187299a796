-- CreateEnum
CREATE TYPE "tokens"."TokenDeploymentMethod" AS ENUM ('CONTRACT', 'FACTORY', 'IMPORTED');

-- CreateEnum
CREATE TYPE "tokens"."TokenFactoryStatus" AS ENUM ('DEPLOYING', 'DEPLOYED', 'FAILED');

-- AlterTable
ALTER TABLE "tokens"."chains" ADD COLUMN     "encrypted_rpc_urls" TEXT,
ADD COLUMN     "masked_rpc_urls" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "scan_claimed_until" TIMESTAMPTZ(3),
ALTER COLUMN "rpc_url" DROP NOT NULL;

-- AlterTable
ALTER TABLE "tokens"."tokens" ADD COLUMN     "deployment_method" "tokens"."TokenDeploymentMethod",
ADD COLUMN     "factory_address" TEXT;

-- CreateTable
CREATE TABLE "tokens"."token_factories" (
    "chain_id" INTEGER NOT NULL,
    "status" "tokens"."TokenFactoryStatus" NOT NULL,
    "failure_reason" TEXT,
    "deployer_address" TEXT NOT NULL,
    "implementation_transaction" TEXT,
    "implementation_tx_hash" TEXT,
    "implementation_address" TEXT,
    "factory_transaction" TEXT,
    "factory_tx_hash" TEXT,
    "address" TEXT,
    "deployed_block" INTEGER,
    "deployed_at" TIMESTAMPTZ(3),
    "indexed_block" INTEGER,
    "requested_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "token_factories_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "tokens"."factory_token_creations" (
    "chain_id" INTEGER NOT NULL,
    "token_address" TEXT NOT NULL,
    "creator" TEXT NOT NULL,
    "token_salt" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "block_number" INTEGER NOT NULL,
    "block_hash" TEXT NOT NULL,
    "transaction_hash" TEXT NOT NULL,
    "log_index" INTEGER NOT NULL,

    CONSTRAINT "factory_token_creations_pkey" PRIMARY KEY ("chain_id","token_address")
);

-- CreateTable
CREATE TABLE "tokens"."chain_statuses" (
    "chain_id" INTEGER NOT NULL,
    "healthy" BOOLEAN NOT NULL,
    "latest_block" INTEGER,
    "block_time_seconds" DOUBLE PRECISION,
    "lag_blocks" INTEGER,
    "endpoints" JSONB NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chain_statuses_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "tokens"."chain_reorgs" (
    "id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "fork_block" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_reorgs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "factory_token_creations_chain_id_block_number_idx" ON "tokens"."factory_token_creations"("chain_id", "block_number");

-- CreateIndex
CREATE INDEX "chain_reorgs_chain_id_detected_at_idx" ON "tokens"."chain_reorgs"("chain_id", "detected_at");

-- CreateIndex
CREATE UNIQUE INDEX "tokens_organization_id_chain_id_contract_address_key" ON "tokens"."tokens"("organization_id", "chain_id", "contract_address");

-- AddForeignKey
ALTER TABLE "tokens"."token_factories" ADD CONSTRAINT "token_factories_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."factory_token_creations" ADD CONSTRAINT "factory_token_creations_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."chain_statuses" ADD CONSTRAINT "chain_statuses_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."chain_reorgs" ADD CONSTRAINT "chain_reorgs_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tokens deployed before factories existed were deployed in full.
UPDATE "tokens"."tokens" SET "deployment_method" = 'CONTRACT' WHERE "deploy_tx_hash" IS NOT NULL;
