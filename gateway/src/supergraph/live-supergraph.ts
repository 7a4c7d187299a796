import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from '@token-nexus/shared';
import { assumedListSizes, type AssumedListSizes } from '../operation-limits/assumed-list-sizes.ts';
import type { SubscriptionMetrics } from '../subscriptions/subscription-metrics.ts';
import { createSubscriptionPlanner, type SubscriptionPlanner } from '../subscriptions/subscription-planner.ts';

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'refused';

/** What ApolloGateway's `supergraphSdl` option takes: it hands us the function that swaps its schema. */
type SupergraphHook = (options: { update: (supergraphSdl: string) => void }) => Promise<{ supergraphSdl: string }>;

/**
 * The supergraph the gateway serves, read from its file at start and again on `reload()`
 * (SIGHUP, or the file changing when SUPERGRAPH_POLL_SECONDS is set): a new composition
 * is deployed without restarting the gateway or dropping HTTP requests.
 *
 * A reload builds the new subscription planner first, so a file that does not compose is
 * refused whole and the gateway keeps serving the previous graph. Then Apollo's executor
 * takes the new schema, new subscriptions are planned on it, and `onReloaded` runs (the
 * gateway ends open subscriptions there: their plans belong to the old graph).
 */
export function createLiveSupergraph(options: {
  path: string;
  logger: Logger;
  onReloaded: () => void;
  metrics?: Pick<SubscriptionMetrics, 'plan'>;
}) {
  let sdl = readFileSync(options.path, 'utf8');
  let planner = createSubscriptionPlanner(sdl, options.metrics);
  let listSizes = assumedListSizes(sdl);
  let update: ((supergraphSdl: string) => void) | undefined;
  let reloading: Promise<ReloadOutcome> = Promise.resolve('unchanged');

  const reloadOnce = async (): Promise<ReloadOutcome> => {
    const next = await readFile(options.path, 'utf8');
    if (next === sdl) return 'unchanged';
    try {
      const nextPlanner = createSubscriptionPlanner(next, options.metrics);
      const nextListSizes = assumedListSizes(next);
      update?.(next);
      planner = nextPlanner;
      listSizes = nextListSizes;
      sdl = next;
    } catch (error) {
      options.logger.error({ err: error, path: options.path }, 'supergraph refused; still serving the previous one');
      return 'refused';
    }
    options.logger.info({ path: options.path }, 'supergraph reloaded');
    options.onReloaded();
    return 'reloaded';
  };

  return {
    planner: (): SubscriptionPlanner => planner,
    /** The list sizes the served graph's subgraphs declare, for the query cost limit. */
    listSizes: (): AssumedListSizes => listSizes,
    /** For ApolloGateway's `supergraphSdl`. */
    hook: (async ({ update: swap }) => {
      update = swap;
      return { supergraphSdl: sdl };
    }) satisfies SupergraphHook,
    /** Reads the file again; reloads take turns. */
    reload(): Promise<ReloadOutcome> {
      reloading = reloading.then(reloadOnce, reloadOnce);
      return reloading;
    },
    /** Reloads whenever the file changes, checking every `seconds`; returns how to stop. */
    watch(seconds: number): () => void {
      const listener = () => void this.reload();
      watchFile(options.path, { interval: seconds * 1000 }, listener);
      return () => unwatchFile(options.path, listener);
    },
  };
}
