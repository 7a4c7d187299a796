import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { activeServiceTracer } from './spans.ts';

/**
 * A client span around each command `redis` sends inside a recorded trace, under the
 * service running it; outside one (tracing off, background work) commands go untouched.
 * Only the command's name is recorded: keys and values can hold user data.
 */
export function traceRedisCommands(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Parameters<Redis['sendCommand']>[0], stream?: Parameters<Redis['sendCommand']>[1]) => {
    const tracer = activeServiceTracer();
    if (!tracer) return send(command, stream);
    const span = tracer.startSpan(`redis ${command.name}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'redis', 'db.operation.name': command.name },
    });
    const result = send(command, stream);
    command.promise.then(
      () => span.end(),
      (error: Error) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
      },
    );
    return result;
  }) as Redis['sendCommand'];
}
