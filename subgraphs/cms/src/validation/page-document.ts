import { BadUserInputError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import { jsonNestingExceeds } from './json-nesting.ts';

/** The bounds of a page-builder tree: what an editor and a renderer must cope with. */
export const documentLimits = {
  /** Levels of nodes (the root's children are level 1). */
  maxDepth: 20,
  maxNodes: 2000,
  maxBytes: 512 * 1024,
} as const;

/**
 * Any JSON nesting past this is refused before anything recursive (JSON.stringify, zod)
 * walks it. 20 levels of nodes take about 40 levels of JSON; the rest is for props.
 */
const maxJsonNesting = 128;

/** One node of the tree: an instance of a component, with its props and its children. */
export interface PageNode {
  /** Unique in the page: how editors, live collaboration and renderers address the node. */
  id: string;
  /** The name of one of the organization's components. */
  component: string;
  /** Must match the component's props schema. */
  props: Record<string, unknown>;
  children: PageNode[];
}

export interface PageDocument {
  type: 'root';
  children: PageNode[];
}

/** A component name: how documents refer to a component, so it never changes. */
export const componentName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'must be 1 to 64 letters, digits, "_", "-" or ".", starting with a letter',
  );

const pageNode = z.strictObject({
  id: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  component: componentName,
  props: z.record(z.string(), z.unknown(), { message: 'must be a JSON object' }).default({}),
  get children(): z.ZodDefault<z.ZodArray<typeof pageNode>> {
    return z.array(pageNode, { message: 'must be a list of nodes' }).default([]);
  },
});

const pageDocumentShape = z.strictObject(
  {
    type: z.literal('root', { message: 'must be "root"' }),
    children: z.array(pageNode, { message: 'must be a list of nodes' }).default([]),
  },
  { message: 'must be a page-builder tree: { "type": "root", "children": [...] }' },
);

/** The tree of a page with nothing on it yet. */
export function emptyDocument(): PageDocument {
  return { type: 'root', children: [] };
}

/**
 * Checks the shape and the bounds of a page-builder tree (not the props: those need the
 * organization's components, see document-props.ts) and returns it with `props` and
 * `children` filled in where omitted. The first problem is a BAD_USER_INPUT naming its
 * place, e.g. `document.children[2].id`.
 */
export function parsePageDocument(value: unknown, field = 'document'): PageDocument {
  if (jsonNestingExceeds(value, maxJsonNesting)) {
    throw new BadUserInputError(`${field}: is nested too deeply`, { field });
  }
  if (Buffer.byteLength(JSON.stringify(value) ?? '') > documentLimits.maxBytes) {
    throw new BadUserInputError(`${field}: must be at most ${documentLimits.maxBytes / 1024} KiB of JSON`, { field });
  }
  const document = parseInput(pageDocumentShape, value, field) as PageDocument;
  const problem = treeProblem(document, field);
  if (problem) throw new BadUserInputError(`${problem.field}: ${problem.message}`, { field: problem.field });
  return document;
}

/** A node with where it sits in the document, as an error would name it. */
export interface PlacedNode {
  node: PageNode;
  /** E.g. `document.children[2].children[0]`. */
  path: string;
  /** 1 for the root's children. */
  depth: number;
}

/** Every node of the tree, parents before their children, in document order. */
export function placedNodes(document: PageDocument, field = 'document'): PlacedNode[] {
  const placed: PlacedNode[] = [];
  const visit = (children: PageNode[], parentPath: string, depth: number) => {
    children.forEach((node, index) => {
      const path = `${parentPath}.children[${index}]`;
      placed.push({ node, path, depth });
      visit(node.children, path, depth + 1);
    });
  };
  visit(document.children, field, 1);
  return placed;
}

/** How many levels and nodes the tree has, and whether node ids repeat. */
function treeProblem(document: PageDocument, field: string): { field: string; message: string } | null {
  const ids = new Set<string>();
  const nodes = placedNodes(document, field);
  if (nodes.length > documentLimits.maxNodes) {
    return { field, message: `must have at most ${documentLimits.maxNodes} nodes (it has ${nodes.length})` };
  }
  for (const { node, path, depth } of nodes) {
    if (depth > documentLimits.maxDepth) {
      return { field: path, message: `nodes may be nested at most ${documentLimits.maxDepth} levels deep` };
    }
    if (ids.has(node.id)) return { field: `${path}.id`, message: `"${node.id}" is the id of another node of the page` };
    ids.add(node.id);
  }
  return null;
}
