-- AlterTable
ALTER TABLE "cms"."pages" ADD COLUMN     "scheduled_by_id" UUID,
ADD COLUMN     "scheduled_publish_at" TIMESTAMPTZ(3),
ADD COLUMN     "scheduled_revision" INTEGER,
ADD COLUMN     "scheduled_unpublish_at" TIMESTAMPTZ(3);
