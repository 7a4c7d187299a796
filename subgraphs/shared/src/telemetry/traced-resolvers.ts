import { trace, type Tracer } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

type Resolver = (...args: unknown[]) => unknown;

/**
 * The subgraph's resolvers with a span around each root field (Query, Mutation) and each
 * entity reference (`__resolveReference`): the units of work the gateway's plan asks for,
 * under which the SQL and Redis spans of the work hang. Fields of objects are left alone:
 * a span per resolved leaf would cost more than it tells.
 */
export function tracedResolvers(resolvers: object, tracer: Tracer, service: string): object {
  const traced: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(resolvers as Record<string, unknown>)) {
    if (!fields || typeof fields !== 'object' || typeName === 'Subscription') {
      traced[typeName] = fields;
      continue;
    }
    const root = typeName === 'Query' || typeName === 'Mutation';
    traced[typeName] = Object.fromEntries(
      Object.entries(fields as Record<string, unknown>).map(([field, resolver]) => {
        if (typeof resolver !== 'function' || !(root || field === '__resolveReference')) return [field, resolver];
        const name = root ? `${typeName}.${field}` : `${typeName}.__resolveReference`;
        return [field, wrap(resolver as Resolver, tracer, name, service)];
      }),
    );
    // Scalars and enums are class instances or plain maps that must keep their identity.
    if (Object.getPrototypeOf(fields) !== Object.prototype) traced[typeName] = fields;
  }
  return traced;
}

function wrap(resolver: Resolver, tracer: Tracer, name: string, service: string): Resolver {
  return (...args: unknown[]) =>
    // In a request that is not sampled (most of them), a child span would not be recorded
    // either: the resolver runs as it is, without a span's allocations.
    trace.getActiveSpan()?.isRecording()
      ? inSpan(tracer, `resolve ${name}`, { attributes: { 'graphql.field.path': name, 'tnx.service': service } }, async () =>
          resolver(...args),
        )
      : resolver(...args);
}
