import type { AuditTransaction } from '@token-nexus/prisma';
import { BadUserInputError } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { ComponentSchemaVersion } from '../validation/props-validators.ts';
import { componentNamesIn, documentPropsProblem } from '../validation/document-props.ts';
import { mediaReferencesIn } from '../validation/media-references.ts';
import { parsePageDocument, type PageDocument } from '../validation/page-document.ts';

/**
 * Checks a page-builder tree before any write that stores one (a page created, updated,
 * published or restored, a live edit, a template created or used): its shape and bounds,
 * then every node's props against the schema of the organization's component it names,
 * then that every `media` prop names a READY asset of the organization (one question to
 * the media subgraph for the whole tree). Components are loaded in one statement whatever
 * the size of the tree. Returns the tree as it is to be stored; the first problem is a
 * BAD_USER_INPUT naming the node, e.g. `document.children[2].props.title: must be string`.
 *
 * Inside a transaction that holds a lock, pass it as `tx`: the components are then read
 * on its connection, rather than waiting for a second one from a pool that the lock's
 * other waiters may hold. (A tree with media props also asks media while the lock is held:
 * one indexed lookup there, at most 5 seconds before the write fails.)
 *
 * Every reference is checked on every write, not only new ones: a draft whose asset was
 * deleted since is refused, naming the prop, until the reference is removed or replaced.
 */
export async function checkDocument(
  ctx: CmsContext,
  organizationId: string,
  value: unknown,
  field = 'document',
  tx?: AuditTransaction,
): Promise<PageDocument> {
  const document = parsePageDocument(value, field);
  const names = componentNamesIn(document);
  const found = tx
    ? await tx.component.findMany({ where: { organizationId, name: { in: names } } })
    : await ctx.loaders.componentByName.loadMany(names.map((name) => ({ organizationId, name })));
  const components = new Map<string, ComponentSchemaVersion & { name: string }>();
  for (const component of found) {
    if (component instanceof Error) throw component;
    if (component) components.set(component.name, component);
  }
  const problem = documentPropsProblem(document, components, ctx.validators, field);
  if (problem) throw new BadUserInputError(`${problem.field}: ${problem.message}`, { field: problem.field });
  await assertMediaReady(ctx, organizationId, mediaReferencesIn(document, components, field));
  return document;
}

/**
 * Refuses the first media prop whose asset is not READY or not the organization's (or was
 * deleted). The same answer for each case, so that a page cannot be used to learn what
 * another organization's asset ids are.
 */
async function assertMediaReady(ctx: CmsContext, organizationId: string, references: { field: string; id: string }[]): Promise<void> {
  if (references.length === 0) return;
  const ready = await ctx.readyMediaAssets(organizationId, references.map((reference) => reference.id));
  const missing = references.find((reference) => !ready.has(reference.id));
  if (missing) {
    throw new BadUserInputError(`${missing.field}: must be a READY media asset of this organization`, { field: missing.field });
  }
}
