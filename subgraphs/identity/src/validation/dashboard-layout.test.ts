import { describe, expect, test } from 'vitest';
import {
  dashboardMaxBytes,
  dashboardProblem,
  layoutsSchema,
  widgetsSchema,
  type DashboardDocument,
} from './dashboard-layout.ts';

function dashboard(): DashboardDocument {
  return {
    layouts: {
      lg: [
        { i: 'revenue', x: 0, y: 0, w: 6, h: 4, minW: 2 },
        { i: 'signups', x: 6, y: 0, w: 6, h: 4, static: true },
      ],
      sm: [{ i: 'revenue', x: 0, y: 0, w: 2, h: 4 }],
    },
    widgets: [
      { id: 'revenue', type: 'line-chart', title: 'Revenue', config: { metric: 'mrr' } },
      { id: 'signups', type: 'counter' },
    ],
  };
}

/** The document padded (in one widget's config) to exactly `bytes` of JSON. */
function dashboardOfSize(bytes: number): DashboardDocument {
  const document = dashboard();
  document.widgets[1]!.config = { padding: '' };
  const overhead = Buffer.byteLength(JSON.stringify(document));
  document.widgets[1]!.config = { padding: 'x'.repeat(bytes - overhead) };
  return document;
}

describe('dashboard schemas', () => {
  test('accept a valid dashboard document', () => {
    const document = dashboard();
    expect(layoutsSchema.parse(document.layouts)).toEqual(document.layouts);
    expect(widgetsSchema.parse(document.widgets)).toEqual(document.widgets);
  });

  test('refuse a grid item with a property react-grid-layout does not know', () => {
    const result = layoutsSchema.safeParse({ lg: [{ i: 'revenue', x: 0, y: 0, w: 1, h: 1, colour: 'red' }] });
    expect(result.success).toBe(false);
  });

  test('refuse a grid item narrower than one unit', () => {
    const result = layoutsSchema.safeParse({ lg: [{ i: 'revenue', x: 0, y: 0, w: 0, h: 1 }] });
    expect(result.error?.issues[0]?.path).toEqual(['lg', 0, 'w']);
  });

  test('refuse more than 10 breakpoints', () => {
    const layouts = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`bp${index}`, []]));
    expect(layoutsSchema.safeParse(layouts).error?.issues[0]?.message).toBe('at most 10 breakpoints');
  });
});

describe('dashboardProblem', () => {
  test('finds nothing wrong with a valid document', () => {
    expect(dashboardProblem(dashboard())).toBeNull();
  });

  test('names the second widget that reuses an id', () => {
    const document = dashboard();
    document.widgets.push({ id: 'revenue', type: 'table' });
    expect(dashboardProblem(document)).toEqual(['widgets[2].id', 'duplicate widget id "revenue"']);
  });

  test('names a grid item that places a widget that does not exist', () => {
    const document = dashboard();
    document.layouts.sm!.push({ i: 'churn', x: 2, y: 0, w: 2, h: 2 });
    expect(dashboardProblem(document)).toEqual(['layouts.sm[1].i', 'no widget has the id "churn"']);
  });

  test('accepts a document of exactly the size limit', () => {
    const document = dashboardOfSize(dashboardMaxBytes);
    expect(Buffer.byteLength(JSON.stringify(document))).toBe(256 * 1024);
    expect(dashboardProblem(document)).toBeNull();
  });

  test('refuses a document one byte over the size limit', () => {
    expect(dashboardProblem(dashboardOfSize(dashboardMaxBytes + 1))).toEqual([
      'layouts',
      'the dashboard must be at most 256 KiB of JSON',
    ]);
  });
});
