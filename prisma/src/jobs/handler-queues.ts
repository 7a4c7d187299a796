import { jobSettings, type JobSettings } from './job-definition.ts';
import type { JobHandler } from './job-handler.ts';

/** Handlers of different payload types, as one runner takes them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobHandler = JobHandler<any>;

/** A queue a runner works: its handler and its definition's settings. */
export interface HandledQueue {
  handler: JobHandler<unknown>;
  settings: JobSettings;
}

/** The handlers by queue name; throws on none, or on two for one queue. */
export function queuesOf(handlers: AnyJobHandler[]): Map<string, HandledQueue> {
  if (handlers.length === 0) {
    throw new Error('A job runner needs at least one handler');
  }
  const queues = new Map<string, HandledQueue>();
  for (const handler of handlers) {
    const settings = jobSettings(handler.definition);
    if (queues.has(settings.queue)) {
      throw new Error(`Two handlers for queue ${settings.queue}`);
    }
    queues.set(settings.queue, { handler, settings });
  }
  return queues;
}
