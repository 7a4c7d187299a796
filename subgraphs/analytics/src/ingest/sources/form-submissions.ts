import { z } from 'zod';
import { goalKey } from '../../providers/experiment-goal.ts';
import type { IngestSource, IngestTransaction } from './ingest-source.ts';
import { lookBackFrom, markCounted, newestOf, readTimeCursor } from './look-back.ts';

const source = 'integrations.webhook_event.form_submitted';

/**
 * What a `form.submitted` event must carry to count for an experiment: the form, the
 * visitor, and the experiment and variant whose page the visitor submitted the form on
 * (cms' submitForm records the variant it checked the values against). Events without them (no experiment ran) are read
 * and skipped.
 */
const experimentSubmission = z.object({
  formId: z.string().min(1).max(128),
  visitorId: z.string().min(1).max(128),
  experiment: z.object({ id: z.uuid(), variant: z.string().min(1).max(32) }),
});

/**
 * Form submissions of pages running an experiment, from the platform's event outbox
 * (integrations.webhook_events, `form.submitted`): each is a conversion of the visitor
 * for the form's goal (`form:<formId>`), once per visitor. Results count it only for an
 * experiment whose goal is that form, and only for a visitor who was exposed.
 */
export const formSubmissionsSource: IngestSource = {
  name: source,
  async read(tx, limit) {
    const from = lookBackFrom(await readTimeCursor(tx, source));
    const rows = await tx.$queryRaw<{ id: string; organizationId: string; data: unknown; createdAt: Date }[]>`/* analytics:background */
      SELECT e.id::text, e.organization_id::text AS "organizationId", e.data, e.created_at AS "createdAt"
      FROM integrations.webhook_events e
      WHERE e.type = 'form.submitted' AND e.created_at >= ${from}
        AND NOT EXISTS (SELECT 1 FROM analytics.counted_rows c WHERE c.source = ${source} AND c.row_id = e.id::text)
      ORDER BY e.created_at
      LIMIT ${limit}`;
    const conversions = rows.flatMap((row): Conversion[] => {
      const parsed = experimentSubmission.safeParse(row.data);
      if (!parsed.success) return [];
      const { formId, visitorId, experiment } = parsed.data;
      return [
        {
          organizationId: row.organizationId,
          experimentId: experiment.id,
          visitorId,
          goal: goalKey({ formId }),
          variant: experiment.variant,
          convertedAt: row.createdAt,
        },
      ];
    });
    if (conversions.length > 0) await insertConversions(tx, conversions);
    await markCounted(tx, source, rows.map((row) => row.id), newestOf(rows.map((row) => row.createdAt)));
    return { events: [], full: rows.length >= limit };
  },
};

interface Conversion {
  organizationId: string;
  experimentId: string;
  visitorId: string;
  goal: string;
  variant: string;
  convertedAt: Date;
}

/** One statement for the round's conversions; a visitor's repeat of a goal is already there and stays as it was. */
async function insertConversions(tx: IngestTransaction, conversions: Conversion[]) {
  await tx.$executeRaw`/* analytics:background */
    INSERT INTO analytics.experiment_conversions (organization_id, experiment_id, visitor_id, goal, variant, converted_at)
    SELECT * FROM unnest(${conversions.map((c) => c.organizationId)}::uuid[], ${conversions.map((c) => c.experimentId)}::uuid[],
      ${conversions.map((c) => c.visitorId)}::text[], ${conversions.map((c) => c.goal)}::text[],
      ${conversions.map((c) => c.variant)}::text[], ${conversions.map((c) => c.convertedAt)}::timestamptz[])
    ON CONFLICT DO NOTHING`;
}
