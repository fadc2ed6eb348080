/**
 * Reading the metrics a packaged template's dashboard and alarms refer to, and checking each against
 * infra/metrics.json (through lib/observability/metric-names.ts): the list the code emits from.
 */
import { METRIC_DEFINITIONS, METRIC_NAMESPACE, SERVICE_DIMENSION } from '../../lib/observability/metric-names';
import type { Json } from './json';


export interface MetricRef {
  namespace: string;
  name: string;
  dimensions: Record<string, unknown>;
  where: string;
}

const SUB_TOKEN = /\$\{([^}]+)\}/g;

/** The dashboard body: its Fn::Sub tokens (each must name a resource, attribute or pseudo parameter) and the parsed JSON. */
export const dashboardOf = (template: { Resources: Record<string, Json> }): { tokens: string[]; body: Json } => {
  const dashboards = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const source = dashboards[0]!.Properties.DashboardBody['Fn::Sub'] as string;
  const tokens = [...source.matchAll(SUB_TOKEN)].map((match) => match[1]!);
  return { tokens, body: JSON.parse(source.replace(SUB_TOKEN, (_, token: string) => `{{${token}}}`)) as Json };
};

/** Every metric line of the dashboard's metric widgets (`[namespace, name, dim, value, …, options?]`). */
export const dashboardMetrics = (body: Json): MetricRef[] =>
  (body.widgets as Json[]).filter((widget) => widget.type === 'metric').flatMap((widget) =>
    (widget.properties.metrics as unknown[][]).map((line) => {
      const parts = line.filter((part) => typeof part === 'string') as string[];
      const [namespace, name, ...pairs] = parts;
      const dimensions: Record<string, unknown> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]!] = pairs[i + 1];
      return { namespace: namespace!, name: name!, dimensions, where: `widget "${widget.properties.title}"` };
    }));

/** The metrics an alarm watches: its single metric or each MetricStat of its metric math. */
export const alarmMetrics = (id: string, alarm: Json): MetricRef[] => {
  const p = alarm.Properties;
  const dims = (list: Json[] | undefined) => Object.fromEntries((list ?? []).map((d) => [d.Name, d.Value]));
  if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: dims(p.Dimensions), where: id }];
  return (p.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => ({
    namespace: m.MetricStat.Metric.Namespace, name: m.MetricStat.Metric.MetricName, dimensions: dims(m.MetricStat.Metric.Dimensions), where: id,
  }));
};

const declaredByName = new Map(Object.values(METRIC_DEFINITIONS).map((metric) => [metric.name, metric]));

/**
 * Problems with an app metric reference: not in the list, wrong namespace, or dimensions other than the
 * service dimension plus exactly the metric's own, with values it is emitted with.
 */
export const appMetricProblems = (ref: MetricRef): string[] => {
  if (ref.namespace !== METRIC_NAMESPACE) return [];
  const declared = declaredByName.get(ref.name);
  if (!declared) return [`${ref.where}: ${ref.name} is not a metric the code emits`];
  const problems: string[] = [];
  const { [SERVICE_DIMENSION.name]: service, ...own } = ref.dimensions;
  if (service !== SERVICE_DIMENSION.value) problems.push(`${ref.where}: ${ref.name} lacks ${SERVICE_DIMENSION.name}=${SERVICE_DIMENSION.value}`);
  const wanted = Object.keys(declared.dimensions).sort();
  if (JSON.stringify(Object.keys(own).sort()) !== JSON.stringify(wanted)) problems.push(`${ref.where}: ${ref.name} dimensions ${Object.keys(own)} ≠ ${wanted}`);
  for (const [name, value] of Object.entries(own)) {
    const values = (declared.dimensions as Record<string, string[] | undefined>)[name] ?? [];
    if (!values.includes(String(value))) problems.push(`${ref.where}: ${ref.name} is never emitted with ${name}=${String(value)}`);
  }
  return problems;
};

/** An EMF line as Powertools prints it, reduced to its metric references. */
export const emfMetrics = (line: Json): MetricRef[] => {
  const directives = (line._aws?.CloudWatchMetrics ?? []) as Json[];
  return directives.flatMap((directive) => (directive.Metrics as Json[]).flatMap((metric) =>
    (directive.Dimensions as string[][]).map((set) => ({
      namespace: directive.Namespace as string,
      name: metric.Name as string,
      dimensions: Object.fromEntries(set.map((name) => [name, line[name]])),
      where: 'EMF output',
    }))));
};
