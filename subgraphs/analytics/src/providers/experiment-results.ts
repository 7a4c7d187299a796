import { parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { AnalyticsContext } from '../context.ts';
import type { ExperimentResultsModel, PageExperimentReference, VariantResultModel } from '../models.ts';
import { policy } from '../policy.ts';
import { twoProportionZTest, zTestMethod, type Arm } from '../statistics/two-proportion-z-test.ts';
import { goalKey } from './experiment-goal.ts';

/** The variant every other is compared with (cms' live revision). */
const control = 'control';

const requiredFields = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  variants: z.array(z.object({ key: z.string() })),
  goal: z.object({ formId: z.string().nullish(), eventName: z.string().nullish() }),
  endedAt: z.coerce.date().nullish(),
});

/** Far enough in the future to stand for "not ended" in the comparisons below. */
const notEnded = new Date('9999-12-31T00:00:00Z');

/**
 * An experiment's results for the members of its organization: distinct visitors exposed
 * to each variant and, of them, those who reached the goal (one statement), each variant
 * tested against control; for an ended experiment, only what happened until its end. The organization comes from the cms (the gateway passes it, as
 * `@requires` asks), and every row read is scoped by it too.
 */
export async function experimentResults(ctx: AnalyticsContext, reference: PageExperimentReference): Promise<ExperimentResultsModel> {
  const experiment = parseInput(requiredFields, reference, 'PageExperiment');
  await policy.assertCanReadMetrics(ctx, experiment.organizationId);
  // Events up to the end only: analytics learns of an experiment's end up to a minute late (published-pages.ts).
  const endedAt = experiment.endedAt ?? notEnded;
  const rows = await ctx.prisma.$queryRaw<{ variant: string; visitors: number; conversions: number }[]>`
    SELECT x.variant, count(*)::int AS visitors, count(c.visitor_id)::int AS conversions
    FROM analytics.experiment_exposures x
    LEFT JOIN analytics.experiment_conversions c
      ON c.experiment_id = x.experiment_id AND c.visitor_id = x.visitor_id AND c.goal = ${goalKey(experiment.goal)}
        AND c.converted_at <= ${endedAt}
    WHERE x.experiment_id = ${experiment.id}::uuid AND x.organization_id = ${experiment.organizationId}::uuid
      AND x.exposed_at <= ${endedAt}
    GROUP BY x.variant`;
  const arms = new Map<string, Arm>(rows.map((row) => [row.variant, { visitors: row.visitors, conversions: row.conversions }]));
  const armOf = (key: string): Arm => arms.get(key) ?? { visitors: 0, conversions: 0 };
  return {
    method: zTestMethod,
    variants: experiment.variants.map(({ key }): VariantResultModel => {
      const arm = armOf(key);
      const test = key === control ? { zScore: null, pValue: null, significant: false } : twoProportionZTest(armOf(control), arm);
      return { key, ...arm, conversionRate: arm.visitors === 0 ? 0 : arm.conversions / arm.visitors, ...test };
    }),
  };
}
