import { Prisma, type ExperimentStatus, type PrismaClient } from '@token-nexus/prisma';
import type { PageExperimentModel } from '../models.ts';

interface RunningExperimentRow {
  id: string;
  organizationId: string;
  pageId: string;
  runningPageId: string | null;
  status: ExperimentStatus;
  goal: Prisma.JsonValue;
  startedAt: Date;
  endedAt: Date | null;
  winner: string | null;
  createdById: string;
  variants: PageExperimentModel['variants'];
}

/**
 * The RUNNING experiments of `pageIds`, each with its variants in bucketing order, in one
 * statement: every public page view asks, and most pages run none, so a page without one
 * costs a single indexed lookup that finds nothing (Prisma's `include` would send a second
 * statement for the variants of no experiments).
 */
export async function runningExperimentsOf(prisma: PrismaClient, pageIds: readonly string[]): Promise<PageExperimentModel[]> {
  return prisma.$queryRaw<RunningExperimentRow[]>(Prisma.sql`
    SELECT e.id, e.organization_id AS "organizationId", e.page_id AS "pageId", e.running_page_id AS "runningPageId",
           e.status::text AS status, e.goal, e.started_at AS "startedAt", e.ended_at AS "endedAt", e.winner,
           e.created_by_id AS "createdById",
           (SELECT json_agg(json_build_object(
                     'experimentId', v.experiment_id, 'key', v.key, 'position', v.position, 'weight', v.weight,
                     'title', v.title, 'document', v.document) ORDER BY v.position)
            FROM cms.page_experiment_variants v WHERE v.experiment_id = e.id) AS variants
    FROM cms.page_experiments e
    WHERE e.running_page_id = ANY(${[...pageIds]}::uuid[])`);
}
