import { auditedTransaction, type AISettings, type PrismaClient } from '@token-nexus/prisma';
import { BadUserInputError, NotConfiguredError, parseInput, type KeyVault } from '@token-nexus/shared';
import { z } from 'zod';
import type { AiContext } from '../context.ts';
import type { AISettingsModel } from '../models.ts';
import { policy } from '../policy.ts';
import { toolNames } from '../tools/tools.ts';
import { uuid } from '../validation/inputs.ts';
import { tokensUsedThisMonth } from './usage.ts';

/** What an organization without a settings row gets: enabled, every tool, no quota. */
function defaults(organizationId: string): AISettings {
  return {
    organizationId,
    enabled: true,
    provider: 'openai-compatible',
    baseUrl: null,
    encryptedApiKey: null,
    model: null,
    temperature: 0.3,
    systemPrompt: '',
    monthlyTokenQuota: null,
    allowedTools: [...toolNames],
    updatedAt: new Date(0),
  };
}

export async function settingsOf(prisma: PrismaClient, organizationId: string): Promise<AISettings> {
  return (await prisma.aISettings.findUnique({ where: { organizationId } })) ?? defaults(organizationId);
}

function shown(settings: AISettings): AISettingsModel {
  const { encryptedApiKey, updatedAt: _updatedAt, ...rest } = settings;
  return { ...rest, hasApiKey: encryptedApiKey !== null };
}

export const providerKeyBinding = (organizationId: string) => `ai-provider:${organizationId}`;

export async function readSettings(ctx: AiContext, args: { orgId: unknown }): Promise<AISettingsModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId);
  return shown(await settingsOf(ctx.prisma, organizationId));
}

const settingsInput = z.object({
  enabled: z.boolean().nullish(),
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).nullish(),
  apiKey: z.string().max(512, 'must be at most 512 characters').nullish(),
  model: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  temperature: z.number().min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').nullish(),
  systemPrompt: z.string().max(4_000, 'must be at most 4,000 characters').nullish(),
  monthlyTokenQuota: z.int('must be a whole number').min(0, 'must not be negative').nullish(),
  allowedTools: z.array(z.string()).max(20).nullish(),
});

export async function updateSettings(ctx: AiContext, args: { orgId: unknown; input: unknown }): Promise<AISettingsModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId);
  const input = parseInput(settingsInput, args.input, 'input');
  const unknownTool = input.allowedTools?.find((name) => !toolNames.includes(name));
  if (unknownTool) {
    throw new BadUserInputError(`input.allowedTools: "${unknownTool}" is not a tool (see aiTools)`, { field: 'input.allowedTools' });
  }
  const raw = (args.input ?? {}) as Record<string, unknown>;
  const data = {
    ...(input.enabled != null ? { enabled: input.enabled } : {}),
    ...('baseUrl' in raw ? { baseUrl: input.baseUrl ?? null } : {}),
    ...(input.apiKey != null
      ? { encryptedApiKey: input.apiKey === '' ? null : ctx.keys.encrypt(input.apiKey, providerKeyBinding(organizationId)) }
      : {}),
    ...(input.model != null ? { model: input.model } : {}),
    ...(input.temperature != null ? { temperature: input.temperature } : {}),
    ...(input.systemPrompt != null ? { systemPrompt: input.systemPrompt } : {}),
    ...('monthlyTokenQuota' in raw ? { monthlyTokenQuota: input.monthlyTokenQuota ?? null } : {}),
    ...(input.allowedTools != null ? { allowedTools: input.allowedTools } : {}),
  };
  const saved = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const base = defaults(organizationId);
    const row = await tx.aISettings.upsert({
      where: { organizationId },
      create: { ...base, updatedAt: undefined, ...data },
      update: data,
    });
    // The key itself never reaches the trail: only that it changed.
    const { encryptedApiKey: _key, ...changed } = data as Record<string, unknown>;
    audit({
      organizationId,
      action: 'ai.settings_updated',
      target: { type: 'ai_settings', id: organizationId },
      changes: { after: { ...changed, apiKeyChanged: 'encryptedApiKey' in data } },
    });
    return row;
  });
  return shown(saved);
}

export async function settingsUsage(ctx: AiContext, settings: AISettingsModel): Promise<number> {
  return tokensUsedThisMonth(ctx.prisma, settings.organizationId);
}

/** Where replies come from for this organization, or NOT_CONFIGURED saying how to set one up. */
export function providerFor(
  settings: AISettings,
  platform: { baseUrl: string | null; apiKey: string | null },
  keys: KeyVault,
): { baseUrl: string; apiKey: string | null } {
  const baseUrl = settings.baseUrl ?? platform.baseUrl;
  if (!baseUrl) {
    throw new NotConfiguredError(
      'No AI provider is configured. An operator sets AI_PROVIDER_BASE_URL (and AI_PROVIDER_API_KEY) for the platform, ' +
        'e.g. AI_PROVIDER_BASE_URL=http://127.0.0.1:11434/v1 for a local Ollama; or an OWNER or ADMIN sets the ' +
        "organization's own with updateAiSettings(orgId, { baseUrl, apiKey, model }).",
    );
  }
  const apiKey = settings.encryptedApiKey
    ? keys.decrypt(settings.encryptedApiKey, providerKeyBinding(settings.organizationId))
    : settings.baseUrl
      ? null
      : platform.apiKey;
  return { baseUrl, apiKey };
}
