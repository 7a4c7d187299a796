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
 */
export async function checkDocument(
  ctx: CmsContext,
  organizationId: string,
  value: unknown,
  field = 'document',
): Promise<PageDocument> {
  const document = parsePageDocument(value, field);
  const names = componentNamesIn(document);
  const found = await ctx.loaders.componentByName.loadMany(names.map((name) => ({ organizationId, name })));
  const components = new Map<string, ComponentSchemaVersion>();
  for (const component of found) {
    if (component instanceof Error) throw component;
    if (component) components.set(component.name, component);
  }
  const problem = documentPropsProblem(document, components, ctx.validators, field);
  if (problem) throw new BadUserInputError(`${problem.field}: ${problem.message}`, { field: problem.field });
  return document;
}
