-- CreateEnum
CREATE TYPE "cms"."ExperimentStatus" AS ENUM ('RUNNING', 'ENDED');

-- CreateTable
CREATE TABLE "analytics"."experiment_exposures" (
    "organization_id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "exposed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "experiment_exposures_pkey" PRIMARY KEY ("experiment_id","visitor_id")
);

-- CreateTable
CREATE TABLE "analytics"."experiment_conversions" (
    "organization_id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "converted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "experiment_conversions_pkey" PRIMARY KEY ("experiment_id","visitor_id","goal")
);

-- CreateTable
CREATE TABLE "cms"."page_experiments" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "page_id" UUID NOT NULL,
    "running_page_id" UUID,
    "status" "cms"."ExperimentStatus" NOT NULL DEFAULT 'RUNNING',
    "goal" JSONB NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "winner" TEXT,
    "created_by_id" UUID NOT NULL,

    CONSTRAINT "page_experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cms"."page_experiment_variants" (
    "experiment_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL,
    "title" TEXT,
    "document" JSONB,

    CONSTRAINT "page_experiment_variants_pkey" PRIMARY KEY ("experiment_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "page_experiments_running_page_id_key" ON "cms"."page_experiments"("running_page_id");

-- CreateIndex
CREATE INDEX "page_experiments_page_id_started_at_idx" ON "cms"."page_experiments"("page_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "page_experiment_variants_experiment_id_position_key" ON "cms"."page_experiment_variants"("experiment_id", "position");

-- AddForeignKey
ALTER TABLE "cms"."page_experiments" ADD CONSTRAINT "page_experiments_page_id_fkey" FOREIGN KEY ("page_id") REFERENCES "cms"."pages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cms"."page_experiment_variants" ADD CONSTRAINT "page_experiment_variants_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "cms"."page_experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
