/**
 * The monitoring of compose.yaml cannot be run here (there is no Docker engine), so these
 * tests hold its files against what the services really do: every metric the committed
 * Grafana dashboard queries must be one the real graph exports (read from its /metrics
 * after a few requests), with the type the query expects and the labels it groups by; and
 * Prometheus must scrape every service of compose.yaml that runs our code, on the
 * METRICS_PORT that service's environment sets. A renamed metric or a service added
 * without a scrape target fails here instead of leaving an empty panel.
 */
import { readFileSync } from 'node:fs';
import { subgraphNames } from '@token-nexus/shared';
import { fetch } from 'undici';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const repositoryRoot = new URL('../../', import.meta.url);

function readRepositoryFile(path: string): string {
  return readFileSync(new URL(path, repositoryRoot), 'utf8');
}

function readYaml<T>(path: string): T {
  // Merge keys on: compose.yaml builds the services' environments from `<<: *anchor`.
  return parse(readRepositoryFile(path), { merge: true }) as T;
}

// ---------------------------------------------------------------------------------------
// Reading PromQL: which metrics an expression reads, and which labels it names
// ---------------------------------------------------------------------------------------

/** The clauses whose parentheses hold label names, not expressions. */
const groupingClause = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

/** Words of PromQL that stand where a metric name could and are not one. */
const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2']);

/** A metric an expression reads, with the label names its `{…}` matchers use. */
interface Selector {
  name: string;
  labels: string[];
}

/** An expression with its string literals emptied and its `[range]`s removed. */
function withoutLiteralsAndRanges(expression: string): string {
  // Strings first, so a label value such as "a}" or "by (x)" is never read as syntax.
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  // [5m], [$__rate_interval], subqueries' [1h:1m]: durations and Grafana variables.
  return withoutStrings.replace(/\[[^\]]*\]/g, '');
}

function labelNamesOf(matchers: string): string[] {
  return [...matchers.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map(([, label]) => label!);
}

/**
 * The metrics a PromQL expression reads. A name is a word not preceded by a letter, digit,
 * '.', ':' or '$' (so not part of a number such as 1e3 or of a `$variable`); a word
 * followed by `(` without matchers is a function or an aggregation, not a metric.
 */
function metricSelectors(expression: string): Selector[] {
  const code = withoutLiteralsAndRanges(expression).replace(groupingClause, ' ');
  const selectors: Selector[] = [];
  const word = /(?<![\w.:$])([A-Za-z_:][\w:]*)\s*(\{[^}]*\})?(\s*\()?/g;
  for (const [, name, matchers, call] of code.matchAll(word)) {
    if ((call && !matchers) || keywords.has(name!)) continue;
    selectors.push({ name: name!, labels: matchers ? labelNamesOf(matchers) : [] });
  }
  return selectors;
}

/** The labels an expression's `by (…)`, `without (…)`, `on (…)` … clauses name. */
function groupingLabels(expression: string): string[] {
  return [...withoutLiteralsAndRanges(expression).matchAll(groupingClause)].flatMap(([, list]) =>
    list!.split(',').map((label) => label.trim()).filter(Boolean),
  );
}

/**
 * The metric family a series name belongs to. By Prometheus' naming conventions `_bucket`,
 * `_sum` and `_count` are the series of a histogram (or summary) named without them, while
 * counters end in `_total`; the exposition's `# TYPE` line then confirms the family's type.
 */
function metricFamily(series: string): { family: string; suffix?: 'bucket' | 'sum' | 'count' } {
  const match = /^(.+)_(bucket|sum|count)$/.exec(series);
  return match ? { family: match[1]!, suffix: match[2] as 'bucket' | 'sum' | 'count' } : { family: series };
}

// ---------------------------------------------------------------------------------------
// Reading the dashboard and the exposition
// ---------------------------------------------------------------------------------------

interface DashboardTarget {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

interface DashboardPanel {
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  /** A row's panels (Grafana keeps them here while the row is collapsed). */
  panels?: DashboardPanel[];
}

interface Dashboard {
  uid: string;
  panels: DashboardPanel[];
}

const dashboardPath = 'ops/grafana/dashboards/token-nexus.json';
const dashboard = JSON.parse(readRepositoryFile(dashboardPath)) as Dashboard;

/** Every panel, those inside rows included. */
function panelsOf(panels: DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

/** Every query of the dashboard, with the panel it draws. */
const queries = panelsOf(dashboard.panels).flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? '', target })),
);

/**
 * Series Prometheus writes itself for every target it scrapes, which no service exports:
 * `up` is 1 when the last scrape of that target succeeded (the dashboard's "Services up").
 */
const seriesPrometheusWrites = new Set(['up']);

/** Labels Prometheus adds to every scraped series (the target's job and address). */
const targetLabels = ['job', 'instance'];

interface MetricFamily {
  type: string;
  /** The label names seen on its samples (none yet: the metric has recorded nothing). */
  labels: Set<string>;
  samples: number;
}

/** The families of a Prometheus text exposition, from its `# TYPE` lines and samples. */
function readExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1]!, { type: type[2]!, labels: new Set(), samples: 0 });
  }
  for (const line of text.split('\n')) {
    // name{label="value",…} value — the labels end at the last '}' (values may hold one).
    const sample = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+\S+/.exec(line);
    if (!sample) continue;
    const { family: base } = metricFamily(sample[1]!);
    const family = families.get(sample[1]!) ?? families.get(base);
    if (!family) continue;
    family.samples += 1;
    for (const [, label] of (sample[2] ?? '').matchAll(/([A-Za-z_]\w*)="(?:[^"\\]|\\.)*"/g)) {
      family.labels.add(label!);
    }
  }
  return families;
}

/** What a query needs of the family it reads, or why the family cannot give it. */
function familyProblem(series: string, families: Map<string, MetricFamily>): string | undefined {
  const { family, suffix } = metricFamily(series);
  const exported = families.get(family);
  if (!exported) return `${family} is not exported`;
  if (suffix === 'bucket' && exported.type !== 'histogram') {
    return `${series} needs ${family} to be a histogram, but it is a ${exported.type}`;
  }
  if (suffix && !['histogram', 'summary'].includes(exported.type)) {
    return `${series} needs ${family} to be a histogram or summary, but it is a ${exported.type}`;
  }
  if (!suffix && ['histogram', 'summary'].includes(exported.type)) {
    return `${family} is a ${exported.type}: query its _bucket, _sum or _count series`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

describe('reading PromQL', () => {
  test('finds the histogram a quantile reads, with its matchers, and not the functions around it', () => {
    const expression =
      'histogram_quantile(0.95, sum by (le, subgraph) (rate(tnx_subgraph_fetch_duration_seconds_bucket{outcome!="success"}[$__rate_interval])))';
    expect(metricSelectors(expression)).toEqual([
      { name: 'tnx_subgraph_fetch_duration_seconds_bucket', labels: ['outcome'] },
    ]);
    expect(groupingLabels(expression)).toEqual(['le', 'subgraph']);
  });

  test('finds both sides of a ratio, and reads nothing in label values, numbers or variables', () => {
    const expression =
      'sum(rate(a_total{result=~"hit|by (x)}", le="1e3"}[5m])) / on (job) group_left () sum(b:rate5m) offset 1h > bool 1e3 * $scale';
    expect(metricSelectors(expression)).toEqual([
      { name: 'a_total', labels: ['result', 'le'] },
      { name: 'b:rate5m', labels: [] },
    ]);
    expect(groupingLabels(expression)).toEqual(['job']);
  });

  test('reads a bare metric, and gauges and counters without a function', () => {
    expect(metricSelectors('up')).toEqual([{ name: 'up', labels: [] }]);
    expect(metricSelectors('max by (queue, state) (tnx_job_queue_depth)')).toEqual([
      { name: 'tnx_job_queue_depth', labels: [] },
    ]);
  });

  test("maps a histogram's series to its family and leaves other names alone", () => {
    expect(metricFamily('tnx_job_duration_seconds_bucket')).toEqual({ family: 'tnx_job_duration_seconds', suffix: 'bucket' });
    expect(metricFamily('tnx_graphql_request_duration_seconds_count')).toEqual({
      family: 'tnx_graphql_request_duration_seconds',
      suffix: 'count',
    });
    expect(metricFamily('tnx_graphql_errors_total')).toEqual({ family: 'tnx_graphql_errors_total' });
  });

  test('holds a query to the type of the family it reads', () => {
    const families = readExposition(
      [
        '# TYPE d_seconds histogram',
        'd_seconds_bucket{le="+Inf",op="a{b}"} 1',
        '# TYPE c_total counter',
        'c_total 3',
      ].join('\n'),
    );
    expect(families.get('d_seconds')).toEqual({ type: 'histogram', labels: new Set(['le', 'op']), samples: 1 });
    expect(familyProblem('d_seconds_bucket', families)).toBeUndefined();
    expect(familyProblem('d_seconds', families)).toBe('d_seconds is a histogram: query its _bucket, _sum or _count series');
    expect(familyProblem('c_total', families)).toBeUndefined();
    expect(familyProblem('c_bucket', families)).toBe('c is not exported');
    expect(familyProblem('missing_total', families)).toBe('missing_total is not exported');
  });
});

describe('the committed Grafana dashboard', () => {
  const fixture = useTestGraph();
  let families: Map<string, MetricFamily>;

  beforeAll(async () => {
    // A query through the gateway to a subgraph, and one the gateway refuses, so the
    // request, subgraph-fetch and error metrics have series and not only a # TYPE line.
    const user = await signUpUser(fixture.graph.client);
    await user.client.data('query DashboardProbe { me { id displayName } }');
    await user.client.request('query BrokenProbe { me { noSuchField } }');
    // Outside production the gateway's public port serves /metrics to anyone.
    const response = await fetch(new URL('/metrics', fixture.graph.gateway.url));
    expect(response.status).toBe(200);
    families = readExposition(await response.text());
  });

  test('has queries, each on the provisioned Prometheus data source', () => {
    expect(queries.length).toBeGreaterThan(20);
    const datasources = readYaml<{ datasources: { uid: string; type: string; url: string }[] }>(
      'ops/grafana/provisioning/datasources/datasources.yml',
    ).datasources;
    const prometheus = datasources.find((datasource) => datasource.type === 'prometheus');
    expect(prometheus?.url).toBe('http://prometheus:9090');
    for (const { panel, expr, target } of queries) {
      expect(expr, panel).not.toBe('');
      expect(target.datasource, panel).toEqual({ type: 'prometheus', uid: prometheus?.uid });
      expect(metricSelectors(expr), `${panel}: ${expr}`).not.toEqual([]);
    }
  });

  test('queries only metrics the services export, with the type each query expects', () => {
    const problems = new Set<string>();
    for (const { panel, expr } of queries) {
      for (const { name } of metricSelectors(expr)) {
        if (seriesPrometheusWrites.has(name)) continue;
        const problem = familyProblem(name, families);
        if (problem) problems.add(`${panel}: ${problem}`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  test('filters and groups only by labels the series carry', () => {
    // The query above went through the gateway to identity: these must have series.
    for (const family of ['tnx_graphql_request_duration_seconds', 'tnx_subgraph_fetch_duration_seconds']) {
      expect(families.get(family)?.samples, family).toBeGreaterThan(0);
    }
    const problems = new Set<string>();
    for (const { panel, expr } of queries) {
      const selectors = metricSelectors(expr).filter(({ name }) => !seriesPrometheusWrites.has(name));
      const read = selectors.map(({ name }) => families.get(metricFamily(name).family));
      // A metric that has recorded nothing yet shows no labels to check against.
      if (read.some((family) => !family?.samples)) continue;
      const carried = new Set([...targetLabels, ...read.flatMap((family) => [...family!.labels])]);
      const named = [...selectors.flatMap(({ labels }) => labels), ...groupingLabels(expr)];
      for (const label of named.filter((label) => !carried.has(label))) {
        problems.add(`${panel}: no series of ${selectors.map(({ name }) => name).join(', ')} has the label "${label}"`);
      }
    }
    expect([...problems]).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// compose.yaml, Prometheus and Grafana
// ---------------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  restart?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: (string | number | { target: number | string })[];
  expose?: (string | number)[];
  volumes?: (string | { source?: string; target: string })[];
}

const compose = readYaml<{ services: Record<string, ComposeService> }>('compose.yaml');

/**
 * The services that run our code and stay up: those built from the repository's Dockerfile,
 * but not the one-shot migration, which exits before anything could scrape it.
 */
const ourServices = Object.entries(compose.services)
  .filter(([, service]) => (typeof service.build === 'string' ? service.build : service.build?.context) === '.')
  .filter(([, service]) => service.restart !== 'no');

/** A compose value as the container gets it when the host leaves `${VAR:-default}` unset. */
function withDefaults(value: string | number | boolean | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return String(value).replace(/\$\{[A-Za-z_]\w*:?-([^}]*)\}/g, '$1');
}

interface PrometheusConfig {
  scrape_configs: {
    job_name: string;
    scheme?: string;
    metrics_path?: string;
    static_configs?: { targets: string[] }[];
  }[];
}

/** host:port → the metrics URL Prometheus reads there. */
function scrapedUrls(config: PrometheusConfig): Set<string> {
  return new Set(
    config.scrape_configs.flatMap((job) =>
      (job.static_configs ?? []).flatMap(({ targets }) =>
        targets.map((target) => `${job.scheme ?? 'http'}://${target}${job.metrics_path ?? '/metrics'}`),
      ),
    ),
  );
}

/** The host file or folder a service mounts at `target` (short `src:target[:ro]` or long form). */
function mountedAt(service: ComposeService | undefined, target: string): string | undefined {
  for (const volume of service?.volumes ?? []) {
    if (typeof volume === 'object' && volume.target === target) return volume.source;
    if (typeof volume === 'string' && volume.split(':')[1] === target) return volume.split(':')[0];
  }
  return undefined;
}

describe('compose.yaml', () => {
  test('runs the gateway and every subgraph of the catalog as services of our image', () => {
    expect(ourServices.map(([name]) => name).sort()).toEqual(['gateway', ...subgraphNames].sort());
  });

  test('has Prometheus scrape each of them on the METRICS_PORT its environment sets', () => {
    const prometheus = compose.services.prometheus;
    const configFile = mountedAt(prometheus, '/etc/prometheus/prometheus.yml');
    expect(configFile).toBe('./ops/prometheus/prometheus.yml');
    expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const scraped = scrapedUrls(readYaml<PrometheusConfig>(configFile!));
    const problems: string[] = [];
    for (const [name, service] of ourServices) {
      const port = withDefaults(service.environment?.METRICS_PORT);
      if (!port) {
        problems.push(`${name} sets no METRICS_PORT`);
      } else if (!scraped.has(`http://${name}:${port}/metrics`)) {
        problems.push(`Prometheus does not scrape http://${name}:${port}/metrics`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('keeps every metrics listener off the host', () => {
    for (const [name, service] of ourServices) {
      const published = (service.ports ?? []).map((port) =>
        typeof port === 'object' ? String(port.target) : String(port).split(':').at(-1),
      );
      expect(published, name).not.toContain(withDefaults(service.environment?.METRICS_PORT));
    }
  });

  test("sends every service's traces over OTLP/HTTP to its Jaeger, sampling 10% by default", () => {
    const jaeger = compose.services.jaeger;
    expect(jaeger?.image).toMatch(/^jaegertracing\/(jaeger|all-in-one):\d+\.\d+\.\d+$/);
    for (const [name, service] of ourServices) {
      expect(withDefaults(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT), name).toBe('http://jaeger:4318');
      expect(withDefaults(service.environment?.OTEL_TRACES_SAMPLER_ARG), name).toBe('0.1');
    }
    expect(jaeger?.ports).toEqual([expect.stringMatching(/:16686$/)]);
  });

  test('provisions Grafana with the committed dashboard and the data sources it reads', () => {
    const grafana = compose.services.grafana;
    expect(grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(compose.services.prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(mountedAt(grafana, '/etc/grafana/provisioning')).toBe('./ops/grafana/provisioning');
    const providers = readYaml<{ providers: { options: { path: string } }[] }>(
      'ops/grafana/provisioning/dashboards/dashboards.yml',
    ).providers;
    const dashboardsFolder = mountedAt(grafana, providers[0]!.options.path);
    expect(`${dashboardsFolder}/token-nexus.json`).toBe(`./${dashboardPath}`);
    // The data sources name other services of the file by host name.
    const datasources = readYaml<{ datasources: { url: string }[] }>(
      'ops/grafana/provisioning/datasources/datasources.yml',
    ).datasources;
    for (const { url } of datasources) expect(compose.services, url).toHaveProperty(new URL(url).hostname);
  });
});
