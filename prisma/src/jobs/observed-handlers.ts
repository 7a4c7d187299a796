import { ROOT_CONTEXT, SpanKind, propagation, trace, type Link } from '@opentelemetry/api';
import { inSpan, platformMetrics, serviceContext, serviceTracer, type TracingSettings } from '@token-nexus/shared';
import type { Registry } from 'prom-client';
import type { PrismaClient } from '../generated/client.ts';
import type { AnyJobHandler } from './handler-queues.ts';
import { jobSettings } from './job-definition.ts';

/** Where a service's job attempts are measured and traced. */
export interface JobObservability {
  service: string;
  registry: Registry;
  tracing: TracingSettings;
}

/**
 * The handlers with each attempt timed by queue and outcome, failures counted (and
 * whether it was the last attempt), and each attempt in a span of its own under which
 * its SQL, Redis and outgoing requests (a webhook's delivery) show.
 */
export function observedHandlers(
  prisma: PrismaClient,
  handlers: AnyJobHandler[],
  observability: JobObservability,
): AnyJobHandler[] {
  const metrics = platformMetrics(observability.registry);
  const tracer = serviceTracer(observability.service, observability.tracing);
  const tracing = Boolean(observability.tracing.endpoint);
  return handlers.map((handler) => {
    const { queue, maxAttempts } = jobSettings(handler.definition);
    const timed: AnyJobHandler['run'] = async (payload, context) => {
      const stop = metrics.jobDuration.startTimer({ queue });
      try {
        await handler.run(payload, context);
        stop({ outcome: 'success' });
      } catch (error) {
        stop({ outcome: 'failure' });
        metrics.jobFailures.inc({ queue, final: String(context.attempt >= maxAttempts) });
        throw error;
      }
    };
    if (!tracing || handler.definition.untraced) return { ...handler, run: timed } as AnyJobHandler;
    const run: AnyJobHandler['run'] = async (payload, context) =>
      inSpan(
        tracer,
        `job ${queue}`,
        {
          kind: SpanKind.CONSUMER,
          parent: serviceContext(ROOT_CONTEXT, tracer),
          links: await enqueuedBy(prisma, context.jobId),
          attributes: { 'messaging.destination.name': queue, 'tnx.job.id': context.jobId, 'tnx.job.attempt': context.attempt },
        },
        () => timed(payload, context),
      );
    return { ...handler, run } as AnyJobHandler;
  });
}

/**
 * A link to the span of the request that enqueued the job, when it was traced. The
 * attempt's span starts a trace of its own (a job can run long after, and more than once).
 */
async function enqueuedBy(prisma: PrismaClient, jobId: string): Promise<Link[]> {
  const row = await prisma.job.findUnique({ where: { id: jobId }, select: { traceParent: true } }).catch(() => null);
  if (!row?.traceParent) return [];
  const parent = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: row.traceParent }));
  return parent ? [{ context: parent }] : [];
}
