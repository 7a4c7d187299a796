-- AlterTable
ALTER TABLE "jobs"."jobs" ADD COLUMN     "trace_parent" TEXT;
