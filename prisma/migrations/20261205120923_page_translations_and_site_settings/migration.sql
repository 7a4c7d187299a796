-- DropIndex
DROP INDEX "cms"."pages_organization_id_slug_key";

-- CreateTable
CREATE TABLE "cms"."site_settings" (
    "organization_id" UUID NOT NULL,
    "default_locale" TEXT NOT NULL DEFAULT 'en',
    "fallback_locales" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "site_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pages_organization_id_slug_locale_key" ON "cms"."pages"("organization_id", "slug", "locale");
