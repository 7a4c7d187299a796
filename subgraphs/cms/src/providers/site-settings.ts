import { auditedTransaction, type PrismaClient } from '@token-nexus/prisma';
import { parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { SiteSettingsModel } from '../models.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';
import { siteSettingsInput } from '../validation/site-settings.ts';

/** The default locale of an organization that never set one. */
export const defaultSiteLocale = 'en';

/** An organization's site settings, or the defaults (`en`, no fallbacks) when it has none stored. */
export async function siteSettingsOf(prisma: Pick<PrismaClient, 'siteSettings'>, organizationId: string): Promise<SiteSettingsModel> {
  const row = await prisma.siteSettings.findUnique({ where: { organizationId } });
  return {
    organizationId,
    defaultLocale: row?.defaultLocale ?? defaultSiteLocale,
    fallbackLocales: row?.fallbackLocales ?? [],
  };
}

/** `siteSettings(orgId:)`: any member. */
export async function findSiteSettings(ctx: CmsContext, rawOrgId: unknown): Promise<SiteSettingsModel> {
  const organizationId = parseInput(uuid, rawOrgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  return siteSettingsOf(ctx.prisma, organizationId);
}

/** `updateSiteSettings`: OWNER or ADMIN; replaces both fields, audited with before and after. */
export async function updateSiteSettings(ctx: CmsContext, args: { orgId: unknown; input: unknown }): Promise<SiteSettingsModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const input = parseInput(siteSettingsInput, args.input, 'input');
  await policy.assertCanManageSite(ctx, organizationId);
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const before = await siteSettingsOf(tx, organizationId);
    await tx.siteSettings.upsert({
      where: { organizationId },
      create: { organizationId, ...input },
      update: input,
    });
    const after: SiteSettingsModel = { organizationId, ...input };
    audit({
      organizationId,
      action: 'site_settings.updated',
      target: { type: 'site_settings', id: organizationId },
      changes: {
        before: { defaultLocale: before.defaultLocale, fallbackLocales: before.fallbackLocales },
        after: { defaultLocale: after.defaultLocale, fallbackLocales: after.fallbackLocales },
      },
    });
    return after;
  });
}
