import { ForbiddenError, accessRevoked, createLiveAccess, filteredStream, guardedStream, parseInput } from '@token-nexus/shared';
import type { WorkflowRun } from '@token-nexus/prisma';
import { z } from 'zod';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { WorkflowsContext } from '../context.ts';
import { runUpdatesTopic, type RunUpdate } from '../engine/run-updates.ts';
import { policy } from '../policy.ts';

const uuid = z.uuid('must be an id returned by this API');

export const Subscription: SubscriptionResolvers = {
  workflowRunUpdated: {
    subscribe: async (_parent, args, ctx) => {
      const organizationId = parseInput(uuid, args.orgId, 'orgId');
      const workflowId = args.workflowId == null ? undefined : parseInput(uuid, args.workflowId, 'workflowId');
      await policy.assertCanRead(ctx, organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        // The updates of one workflow's runs, or all of them.
        filteredStream(ctx.events.subscribe<RunUpdate>(runUpdatesTopic(organizationId)), (update) => !workflowId || update.workflowId === workflowId),
        async () => {
          const current = await access.get();
          return current.isSystemAdmin || current.roles.has(organizationId);
        },
        access.close,
      );
    },
    // Each notice names the run; it is read as it is now (a notice never carries stale state).
    resolve: async (payload: RunUpdate | typeof accessRevoked, _args: unknown, ctx: WorkflowsContext): Promise<WorkflowRun> => {
      if (payload === accessRevoked) throw new ForbiddenError("You can no longer read this organization's workflow runs.");
      // The subscription's context (and its loaders) lives as long as the subscription: forget the run's steps as last seen.
      ctx.loaders.stepRunsByRunId.clear(payload.runId);
      return ctx.prisma.workflowRun.findUniqueOrThrow({ where: { id: payload.runId } });
    },
  },
};
