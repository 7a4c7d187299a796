import type { DashboardLayoutResolvers } from '../__generated__/resolvers-types.ts';
import { dashboardWidgetData } from '../providers/widget-data.ts';

export const DashboardLayout: DashboardLayoutResolvers = {
  /** Identity owns dashboards; here one is its key and the widgets the gateway passes along. */
  __resolveReference: (reference) => reference,
  widgetData: (layout, args, ctx) => dashboardWidgetData(ctx, layout, args),
};
