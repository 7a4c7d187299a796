-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "tokens";

-- CreateEnum
CREATE TYPE "tokens"."TokenStatus" AS ENUM ('DRAFT', 'DEPLOYING', 'DEPLOYED', 'PAUSED', 'RETIRED', 'FAILED');

-- CreateEnum
CREATE TYPE "tokens"."TokenTransactionKind" AS ENUM ('MINT', 'TRANSFER', 'BURN');

-- CreateEnum
CREATE TYPE "tokens"."TokenTransactionStatus" AS ENUM ('PENDING', 'CONFIRMED', 'FAILED');

-- CreateTable
CREATE TABLE "tokens"."chains" (
    "chain_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "rpc_url" TEXT NOT NULL,
    "explorer_url" TEXT,
    "confirmations" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chains_pkey" PRIMARY KEY ("chain_id")
);

-- CreateTable
CREATE TABLE "tokens"."deployer_keys" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "encrypted_key" TEXT NOT NULL,
    "next_nonce" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployer_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tokens"."tokens" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "decimals" INTEGER NOT NULL,
    "initial_supply" DECIMAL(78,0) NOT NULL,
    "chain_id" INTEGER NOT NULL,
    "status" "tokens"."TokenStatus" NOT NULL DEFAULT 'DRAFT',
    "failure_reason" TEXT,
    "deployer_address" TEXT,
    "contract_address" TEXT,
    "deploy_transaction" TEXT,
    "deploy_tx_hash" TEXT,
    "deploy_nonce" INTEGER,
    "control_action" TEXT,
    "control_transaction" TEXT,
    "control_tx_hash" TEXT,
    "deployed_block" INTEGER,
    "deployed_at" TIMESTAMPTZ(3),
    "indexed_block" INTEGER,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tokens"."token_transactions" (
    "id" UUID NOT NULL,
    "token_id" UUID NOT NULL,
    "kind" "tokens"."TokenTransactionKind" NOT NULL,
    "from_address" TEXT,
    "to_address" TEXT,
    "amount" DECIMAL(78,0) NOT NULL,
    "status" "tokens"."TokenTransactionStatus" NOT NULL DEFAULT 'PENDING',
    "failure_reason" TEXT,
    "raw_transaction" TEXT,
    "tx_hash" TEXT,
    "log_index" INTEGER,
    "block_number" INTEGER,
    "block_hash" TEXT,
    "requested_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "token_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tokens"."token_balances" (
    "token_id" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "balance" DECIMAL(78,0) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "token_balances_pkey" PRIMARY KEY ("token_id","holder")
);

-- CreateTable
CREATE TABLE "tokens"."indexed_blocks" (
    "chain_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "indexed_blocks_pkey" PRIMARY KEY ("chain_id","number")
);

-- CreateIndex
CREATE UNIQUE INDEX "deployer_keys_organization_id_chain_id_key" ON "tokens"."deployer_keys"("organization_id", "chain_id");

-- CreateIndex
CREATE INDEX "tokens_organization_id_created_at_id_idx" ON "tokens"."tokens"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "tokens_chain_id_status_idx" ON "tokens"."tokens"("chain_id", "status");

-- CreateIndex
CREATE INDEX "token_transactions_token_id_created_at_id_idx" ON "tokens"."token_transactions"("token_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "token_transactions_token_id_block_number_idx" ON "tokens"."token_transactions"("token_id", "block_number");

-- CreateIndex
CREATE UNIQUE INDEX "token_transactions_token_id_tx_hash_log_index_key" ON "tokens"."token_transactions"("token_id", "tx_hash", "log_index");

-- AddForeignKey
ALTER TABLE "tokens"."tokens" ADD CONSTRAINT "tokens_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."token_transactions" ADD CONSTRAINT "token_transactions_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "tokens"."tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."token_balances" ADD CONSTRAINT "token_balances_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "tokens"."tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens"."indexed_blocks" ADD CONSTRAINT "indexed_blocks_chain_id_fkey" FOREIGN KEY ("chain_id") REFERENCES "tokens"."chains"("chain_id") ON DELETE CASCADE ON UPDATE CASCADE;
