-- AlterTable
ALTER TABLE "ai"."messages" ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "messages_status_lease_expires_at_idx" ON "ai"."messages"("status", "lease_expires_at");
