-- CreateTable
CREATE TABLE "cms"."form_submissions" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "page_slug" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "form_id" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "visitor_id" TEXT,
    "values" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "form_submissions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."form_submission_exports" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "form_id" TEXT,
    "from" TIMESTAMPTZ(3),
    "to" TIMESTAMPTZ(3),
    "up_to" TIMESTAMPTZ(3) NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "form_submission_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "form_submissions_organization_id_created_at_id_idx" ON "cms"."form_submissions"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "form_submissions_organization_id_form_id_created_at_id_idx" ON "cms"."form_submissions"("organization_id", "form_id", "created_at", "id");
