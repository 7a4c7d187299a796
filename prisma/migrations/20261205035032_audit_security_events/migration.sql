-- CreateIndex
CREATE INDEX "entries_organization_id_action_occurred_at_id_idx" ON "audit"."entries"("organization_id", "action", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "entries_action_occurred_at_id_idx" ON "audit"."entries"("action", "occurred_at", "id");
