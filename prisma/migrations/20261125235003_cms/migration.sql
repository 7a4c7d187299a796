-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "cms";

-- CreateEnum
CREATE TYPE "cms"."PageKind" AS ENUM ('PAGE', 'POST');

-- CreateEnum
CREATE TYPE "cms"."PageStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateTable
CREATE TABLE "cms"."pages" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "kind" "cms"."PageKind" NOT NULL DEFAULT 'PAGE',
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "cms"."PageStatus" NOT NULL DEFAULT 'DRAFT',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "seo" JSONB NOT NULL DEFAULT '{}',
    "published_at" TIMESTAMPTZ(3),
    "template_id" UUID,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."page_revisions" (
    "id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "seo" JSONB NOT NULL,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "published_by_id" UUID NOT NULL,

    CONSTRAINT "page_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."components" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "props_schema" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "components_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."templates" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."page_operations" (
    "id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "base_version" INTEGER NOT NULL,
    "operation" JSONB NOT NULL,
    "author_id" UUID NOT NULL,
    "submission_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "page_operations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pages_organization_id_created_at_id_idx" ON "cms"."pages"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "pages_template_id_idx" ON "cms"."pages"("template_id");

-- CreateIndex
CREATE UNIQUE INDEX "pages_organization_id_slug_key" ON "cms"."pages"("organization_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "page_revisions_page_id_number_key" ON "cms"."page_revisions"("page_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "components_organization_id_name_key" ON "cms"."components"("organization_id", "name");

-- CreateIndex
CREATE INDEX "templates_organization_id_name_id_idx" ON "cms"."templates"("organization_id", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "page_operations_page_id_version_key" ON "cms"."page_operations"("page_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "page_operations_page_id_submission_id_key" ON "cms"."page_operations"("page_id", "submission_id");

-- AddForeignKey
ALTER TABLE "cms"."pages" ADD CONSTRAINT "pages_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "cms"."templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cms"."page_revisions" ADD CONSTRAINT "page_revisions_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "cms"."pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cms"."page_operations" ADD CONSTRAINT "page_operations_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "cms"."pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
