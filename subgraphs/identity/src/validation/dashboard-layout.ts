import { z } from 'zod';

/**
 * The dashboard document: a responsive grid (react-grid-layout's shape, which the
 * dashboard clients render) and the widgets placed on it.
 */
const id = z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const gridUnits = (max: number) => z.number().int('must be a whole number').min(0).max(max);

const gridItem = z
  .object({
    i: id,
    x: gridUnits(1000),
    y: gridUnits(100_000),
    w: gridUnits(1000).min(1),
    h: gridUnits(1000).min(1),
    minW: gridUnits(1000).optional(),
    maxW: gridUnits(1000).optional(),
    minH: gridUnits(1000).optional(),
    maxH: gridUnits(1000).optional(),
    static: z.boolean().optional(),
  })
  .strict();

export const layoutsSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'breakpoint names are 1-20 letters, digits, _ or -'),
    z.array(gridItem).max(200, 'at most 200 items per breakpoint'),
    { message: 'must be an object mapping breakpoints to lists of grid items' },
  )
  .refine((layouts) => Object.keys(layouts).length <= 10, { message: 'at most 10 breakpoints' });

const widget = z
  .object({
    id,
    type: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    title: z.string().max(200, 'must be at most 200 characters').optional(),
    config: z.record(z.string(), z.unknown(), { message: 'must be a JSON object' }).optional(),
  })
  .strict();

export const widgetsSchema = z.array(widget).max(200, 'at most 200 widgets');

export const dashboardMaxBytes = 256 * 1024;

export interface DashboardDocument {
  layouts: z.output<typeof layoutsSchema>;
  widgets: z.output<typeof widgetsSchema>;
}

/**
 * Cross-field rules zod's per-field schemas cannot express: widget ids are unique, and
 * every grid item places a widget that exists.
 *
 * @returns the first problem as [field, message], or null.
 */
export function dashboardProblem(document: DashboardDocument): [string, string] | null {
  const ids = new Set<string>();
  for (const [index, widget] of document.widgets.entries()) {
    if (ids.has(widget.id)) return [`widgets[${index}].id`, `duplicate widget id "${widget.id}"`];
    ids.add(widget.id);
  }
  for (const [breakpoint, items] of Object.entries(document.layouts)) {
    for (const [index, item] of items.entries()) {
      if (!ids.has(item.i)) {
        return [`layouts.${breakpoint}[${index}].i`, `no widget has the id "${item.i}"`];
      }
    }
  }
  if (Buffer.byteLength(JSON.stringify(document)) > dashboardMaxBytes) {
    return ['layouts', `the dashboard must be at most ${dashboardMaxBytes / 1024} KiB of JSON`];
  }
  return null;
}
