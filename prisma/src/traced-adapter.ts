import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { activeServiceTracer } from '@token-nexus/shared';

/** Statements longer than this are cut in the span (a batch insert can be megabytes). */
const statementLimit = 2_000;

/**
 * The factory's adapters with a client span around every statement sent inside a
 * recorded trace, under the service running it (see serviceContext). Outside one (a
 * background loop, tracing off) statements go through untouched: no root span per
 * polling query, and nothing to pay when tracing is off.
 */
export function tracedAdapterFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => traceQueries(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

function traceQueries<Q extends SqlDriverAdapter | Transaction>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => traced(query, () => queryRaw(query));
  queryable.executeRaw = (query) => traced(query, () => executeRaw(query));
  if ('startTransaction' in queryable) {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (isolationLevel) => traceQueries(await startTransaction(isolationLevel));
  }
  return queryable;
}

function traced<T>(query: SqlQuery, send: () => Promise<T>): Promise<T> {
  const tracer = activeServiceTracer();
  if (!tracer) return send();
  const sql = query.sql.trim();
  const operation = /^(\/\*.*?\*\/\s*)?(\w+)/s.exec(sql)?.[2]?.toUpperCase() ?? 'SQL';
  return tracer.startActiveSpan(
    `postgresql ${operation}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        'db.query.text': sql.length > statementLimit ? `${sql.slice(0, statementLimit)}…` : sql,
      },
    },
    async (span) => {
      try {
        return await send();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
