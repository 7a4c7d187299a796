import type { PrismaClient } from '@token-nexus/prisma';
import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { AiContext } from '../context.ts';
import type { AIUsageModel } from '../models.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';

function monthStart(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function dayOf(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function tokensUsedThisMonth(prisma: PrismaClient, organizationId: string): Promise<number> {
  const total = await prisma.aIUsage.aggregate({
    where: { organizationId, day: { gte: monthStart() } },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (total._sum.promptTokens ?? 0) + (total._sum.completionTokens ?? 0);
}

/** Adds one request's exact counts (the provider's own) to the organization's day and model. */
export async function recordUsage(
  prisma: PrismaClient,
  usage: { organizationId: string; model: string; promptTokens: number; completionTokens: number },
  prices: { promptPer1k: number; completionPer1k: number },
): Promise<void> {
  const costMicros = BigInt(
    Math.round(((usage.promptTokens * prices.promptPer1k + usage.completionTokens * prices.completionPer1k) / 1000) * 1_000_000),
  );
  await prisma.$executeRaw`
    INSERT INTO ai.usage (organization_id, day, model, prompt_tokens, completion_tokens, requests, estimated_cost_micros)
    VALUES (${usage.organizationId}::uuid, ${dayOf()}::date, ${usage.model}, ${usage.promptTokens}, ${usage.completionTokens}, 1, ${costMicros})
    ON CONFLICT (organization_id, day, model) DO UPDATE SET
      prompt_tokens = usage.prompt_tokens + EXCLUDED.prompt_tokens,
      completion_tokens = usage.completion_tokens + EXCLUDED.completion_tokens,
      requests = usage.requests + 1,
      estimated_cost_micros = usage.estimated_cost_micros + EXCLUDED.estimated_cost_micros`;
}

const range = z.object({ from: z.coerce.date(), to: z.coerce.date() });

export async function listUsage(ctx: AiContext, args: { orgId: unknown; from: unknown; to: unknown }): Promise<AIUsageModel[]> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId);
  const { from, to } = parseInput(range, { from: args.from, to: args.to }, 'range');
  if (to < from) throw new BadUserInputError('to: must not be before from', { field: 'to' });
  return ctx.prisma.aIUsage.findMany({
    where: { organizationId, day: { gte: dayOf(from), lte: dayOf(to) } },
    orderBy: [{ day: 'asc' }, { model: 'asc' }],
  });
}
