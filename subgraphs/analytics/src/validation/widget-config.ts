import { z } from 'zod';

const caseless = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(values, { message: `must be one of ${values.map((v) => v.toLowerCase()).join(', ')}` }));

/**
 * What a metric widget's `config` says (identity stores it as any JSON; analytics reads
 * it): the metric, how to draw it, and optionally its own period.
 */
export const widgetConfigSchema = z.object({
  metric: z.string({ message: 'must name a metric' }),
  chart: caseless(['LINE', 'BAR', 'AREA', 'PIE', 'NUMBER', 'TABLE']).optional(),
  interval: caseless(['HOUR', 'DAY', 'WEEK', 'MONTH']).optional(),
  dimension: z.string().optional(),
  top: z.number().int().min(1).max(20).optional(),
  statistic: caseless(['VALUE', 'MEAN', 'P50', 'P95', 'P99']).optional(),
  range: z
    .union([
      z.string(),
      z.object({ last: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
    ])
    .optional(),
});

export type WidgetConfig = z.output<typeof widgetConfigSchema>;

/** A widget as identity stores it. */
export const widgetSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
