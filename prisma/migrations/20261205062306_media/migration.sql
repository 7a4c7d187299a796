-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "media";

-- CreateEnum
CREATE TYPE "media"."MediaKind" AS ENUM ('IMAGE', 'DOCUMENT', 'VIDEO', 'AUDIO', 'OTHER');

-- CreateEnum
CREATE TYPE "media"."MediaStatus" AS ENUM ('PENDING', 'PROCESSING', 'READY', 'REJECTED', 'FAILED');

-- CreateTable
CREATE TABLE "media"."assets" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "kind" "media"."MediaKind" NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "status" "media"."MediaStatus" NOT NULL DEFAULT 'PENDING',
    "rejection_reason" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "alt" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL DEFAULT '',
    "upload_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "media"."variants" (
    "asset_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,

    CONSTRAINT "variants_pkey" PRIMARY KEY ("asset_id","name")
);

-- CreateIndex
CREATE INDEX "assets_organization_id_created_at_id_idx" ON "media"."assets"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "assets_organization_id_sha256_idx" ON "media"."assets"("organization_id", "sha256");

-- AddForeignKey
ALTER TABLE "media"."variants" ADD CONSTRAINT "variants_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "media"."assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
