import type { EventBus } from '@token-nexus/shared';
import type { RollupTotal } from './rollup-writer.ts';

/** The bus topic of one organization's metric changes. */
export function metricUpdatesTopic(organizationId: string): string {
  return `analytics.metrics.${organizationId}`;
}

/** What the ingester publishes after a round that moved an organization's metrics. */
export interface MetricChanges {
  organizationId: string;
  /** When the round committed (ISO 8601). */
  at: string;
  metrics: {
    name: string;
    /** The hour and UTC day the round's latest events fell in, and their totals now. */
    hour: string;
    hourValue: number;
    day: string;
    dayValue: number;
  }[];
}

/**
 * Groups a round's moved totals by organization and metric (keeping each metric's latest
 * hour and day) and publishes one message per organization.
 */
export async function publishMetricChanges(events: EventBus, totals: readonly RollupTotal[], at: Date): Promise<void> {
  const byOrganization = new Map<string, Map<string, MetricChanges['metrics'][number]>>();
  for (const total of totals) {
    const metrics = byOrganization.get(total.organizationId) ?? new Map<string, MetricChanges['metrics'][number]>();
    byOrganization.set(total.organizationId, metrics);
    const entry = metrics.get(total.metric) ?? { name: total.metric, hour: '', hourValue: 0, day: '', dayValue: 0 };
    const bucket = total.bucket.toISOString();
    if (total.grain === 'HOUR' && bucket >= entry.hour) Object.assign(entry, { hour: bucket, hourValue: total.value });
    if (total.grain === 'DAY' && bucket >= entry.day) Object.assign(entry, { day: bucket, dayValue: total.value });
    metrics.set(total.metric, entry);
  }
  await Promise.all(
    [...byOrganization].map(([organizationId, metrics]) =>
      events.publish(metricUpdatesTopic(organizationId), {
        organizationId,
        at: at.toISOString(),
        metrics: [...metrics.values()],
      } satisfies MetricChanges),
    ),
  );
}
