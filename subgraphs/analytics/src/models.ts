import type { MetricDefinition } from './catalogue/metric-catalogue.ts';

/** What `MetricStatistic` names, as the resolvers pass it around. */
export type MetricStatistic = 'VALUE' | 'MEAN' | 'P50' | 'P95' | 'P99';

export interface MetricBreakdownModel {
  key: string;
  value: number;
  previousValue: number;
}

export interface MetricSummaryModel {
  metric: MetricDefinition;
  from: Date;
  to: Date;
  value: number;
  previousValue: number;
  change: number;
  changeRatio: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  breakdown: MetricBreakdownModel[];
}

export interface MetricSeriesModel {
  metric: string;
  dimension: string | null;
  key: string | null;
  label: string;
  unit: string;
  statistic: MetricStatistic;
  interval: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
  timeZone: string;
  points: { t: Date; v: number }[];
  total: number;
}

export interface WidgetDataModel {
  widgetId: string;
  type: string;
  title: string | null;
  chart: 'LINE' | 'BAR' | 'AREA' | 'PIE' | 'NUMBER' | 'TABLE' | null;
  metric: MetricDefinition | null;
  summary: MetricSummaryModel | null;
  series: MetricSeriesModel[];
  error: { code: 'BAD_USER_INPUT' | 'FORBIDDEN'; message: string } | null;
}

/** Identity's dashboard as the gateway hands it to analytics: its key and its widgets. */
export interface DashboardLayoutReference {
  orgId: string;
  userId: string;
  widgets?: unknown;
}

export interface MetricUpdateModel {
  orgId: string;
  name: string;
  at: Date;
  hour: Date;
  hourValue: number;
  day: Date;
  dayValue: number;
  level: number | null;
}

export interface OperationPerformanceModel {
  operation: string;
  count: number;
  errorCount: number;
  errorRate: number;
  failureCount: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export interface ServiceLevelModel {
  from: Date;
  to: Date;
  requests: number;
  latencyThresholdMs: number;
  fastRatio: number | null;
  p95: number | null;
  failures: number;
  availability: number | null;
  availabilityTarget: number;
  errorBudgetRemaining: number;
}

/** A cms experiment as the gateway hands it over, with the fields its results require. */
export interface PageExperimentReference {
  id: string;
  organizationId?: string;
  variants?: { key: string }[];
  goal?: { formId?: string | null; eventName?: string | null };
  endedAt?: string | Date | null;
}

/** One variant's figures, as `VariantResult` shows them. */
export interface VariantResultModel {
  key: string;
  visitors: number;
  conversions: number;
  conversionRate: number;
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
}

export interface ExperimentResultsModel {
  method: string;
  variants: VariantResultModel[];
}
