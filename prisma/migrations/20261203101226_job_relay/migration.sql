-- Jobs handed to BullMQ by the outbox relay (prisma/src/jobs/bullmq/outbox-relay.ts).
-- AlterEnum
ALTER TYPE "jobs"."JobStatus" ADD VALUE 'RELAYED';
