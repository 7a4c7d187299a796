import { Gauge, type Registry } from 'prom-client';

/** A database connection pool's occupancy at one moment. */
export interface PoolOccupancy {
  inUse: number;
  idle: number;
  waiting: number;
}

/** A job runner's queues and how many jobs each holds in each state. */
export type QueueDepths = () => Promise<Record<string, Record<string, number>>>;

interface RedisConnection {
  readonly status: string;
}

/*
 * What the process holds, whichever service opened it, is read when metrics are
 * collected: pools, job runners and Redis connections register here while open.
 */
const pools = new Map<string, Set<() => PoolOccupancy>>();
const jobQueues = new Set<QueueDepths>();
const redisConnections = new Map<RedisConnection, string>();

/** Counts `pool` in the database gauges until the returned function is called. */
export function trackDatabasePool(name: string, occupancy: () => PoolOccupancy): () => void {
  const set = pools.get(name) ?? new Set();
  pools.set(name, set);
  set.add(occupancy);
  return () => set.delete(occupancy);
}

/** Reports a job runner's queue depths until the returned function is called. */
export function trackJobQueues(depths: QueueDepths): () => void {
  jobQueues.add(depths);
  return () => jobQueues.delete(depths);
}

/** Reports whether a Redis connection is up until it ends. */
export function trackRedisConnection(connection: RedisConnection & { once(event: 'end', listener: () => void): unknown }, name: string): void {
  redisConnections.set(connection, name);
  connection.once('end', () => redisConnections.delete(connection));
}

/** The gauges read from what the process holds, added to `registry`. */
export function collectProcessWideGauges(registry: Registry): void {
  const registers = [registry];
  new Gauge({
    name: 'tnx_db_pool_connections',
    help: 'Database pool connections by state (in_use, idle), summed over the pools of each name.',
    labelNames: ['pool', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, set] of pools) {
        let inUse = 0;
        let idle = 0;
        for (const occupancy of set) {
          const now = occupancy();
          inUse += now.inUse;
          idle += now.idle;
        }
        this.set({ pool: name, state: 'in_use' }, inUse);
        this.set({ pool: name, state: 'idle' }, idle);
      }
    },
  });
  new Gauge({
    name: 'tnx_db_pool_waiting_requests',
    help: 'Queries waiting for a free database pool connection.',
    labelNames: ['pool'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, set] of pools) {
        let waiting = 0;
        for (const occupancy of set) waiting += occupancy().waiting;
        this.set({ pool: name }, waiting);
      }
    },
  });
  new Gauge({
    name: 'tnx_redis_up',
    help: 'Whether the Redis connections of each purpose are ready (1) or not all of them are (0).',
    labelNames: ['connection'] as const,
    registers,
    collect() {
      this.reset();
      const up = new Map<string, number>();
      for (const [connection, name] of redisConnections) {
        up.set(name, Math.min(up.get(name) ?? 1, connection.status === 'ready' ? 1 : 0));
      }
      for (const [name, value] of up) this.set({ connection: name }, value);
    },
  });
  new Gauge({
    name: 'tnx_job_queue_depth',
    help: 'Background jobs by queue and state (queued, delayed, running, failed).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      const totals = new Map<string, number>();
      for (const depths of jobQueues) {
        const counts = await depths().catch(() => ({}) as Record<string, Record<string, number>>);
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, count] of Object.entries(states)) {
            if (state === 'completed') continue;
            const key = `${queue}\u0000${state}`;
            totals.set(key, Math.max(totals.get(key) ?? 0, count));
          }
        }
      }
      for (const [key, count] of totals) {
        const [queue, state] = key.split('\u0000') as [string, string];
        this.set({ queue, state }, count);
      }
    },
  });
}
