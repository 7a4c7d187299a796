import type { AuditTransaction } from '@token-nexus/prisma';
import { BadUserInputError } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { ComponentSchemaVersion } from '../validation/props-validators.ts';
import { componentNamesIn, documentPropsProblem } from '../validation/document-props.ts';
import { parsePageDocument, type PageDocument } from '../validation/page-document.ts';

/**
 * Checks a page-builder tree before any write that stores one (a page created, updated or
 * restored, a template created or used): its shape and bounds, then every node's props
 * against the schema of the organization's component it names. Components are loaded in
 * one statement whatever the size of the tree. Returns the tree as it is to be stored;
 * the first problem is a BAD_USER_INPUT naming the node, e.g.
 * `document.children[2].props.title: must be string`.
 *
 * Inside a transaction that holds a lock, pass it as `tx`: the components are then read
 * on its connection, rather than waiting for a second one from a pool that the lock's
 * other waiters may hold.
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
  return document;
}
