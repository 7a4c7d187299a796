/**
 * The `media` format of props schemas: `{ "type": "string", "format": "media", "maxLength": 36 }`
 * makes a prop a reference to an asset of the organization's media library, by id.
 */
export const mediaFormat = 'media';

/**
 * A media asset's id as the API gives it: a lower-case UUID (versions 1–8, RFC 9562
 * variant), what the media subgraph's internal routes accept. Lower case only, so that an
 * id is written one way in every document and a search of documents for it finds them all.
 */
const mediaIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether a prop's value can name a media asset (the `media` format's check). */
export function isMediaId(value: string): boolean {
  return mediaIdPattern.test(value);
}

/** Keywords whose subschemas apply to a known part of the value, always. */
const followedKeywords = {
  single: ['items', 'additionalItems', 'additionalProperties'],
  list: ['items', 'allOf'],
  map: ['properties', 'patternProperties', 'definitions', '$defs'],
} as const;

/** Keywords whose subschemas apply or not depending on the value (or to no value at all). */
const conditionalKeywords = {
  single: ['not', 'if', 'then', 'else', 'contains', 'propertyNames'],
  list: ['anyOf', 'oneOf'],
  map: ['dependencies'],
} as const;

/**
 * Where a schema puts a `media` prop that the document walk (media-references.ts) could
 * not find for certain, as a path under the schema (`.properties.image.anyOf[0]`), or null.
 * Which values are media references must follow from the schema alone, so a `media` format
 * (itself, or through a `$ref`) may sit under `properties`, `patternProperties`,
 * `additionalProperties`, `items`, `additionalItems`, `allOf` and `definitions`, not under
 * `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `contains`, `propertyNames` or
 * `dependencies` (a nullable image is `"type": ["string", "null"]`).
 */
export function misplacedMediaFormat(schema: unknown): string | null {
  const visit = (node: unknown, path: string, conditional: boolean): string | null => {
    if (!isSchemaObject(node)) return null;
    if (conditional && (node.format === mediaFormat || (typeof node.$ref === 'string' && refersToMedia(schema, node.$ref)))) return path;
    for (const [keyword, child] of subschemas(node, followedKeywords)) {
      const found = visit(child.schema, `${path}.${keyword}${child.at}`, conditional);
      if (found) return found;
    }
    for (const [keyword, child] of subschemas(node, conditionalKeywords)) {
      const found = visit(child.schema, `${path}.${keyword}${child.at}`, true);
      if (found) return found;
    }
    return null;
  };
  return visit(schema, '', false);
}

/** Whether the schema a local `$ref` points at uses the `media` format anywhere (following its own refs). */
function refersToMedia(root: unknown, ref: string): boolean {
  const seen = new Set<unknown>();
  const pending = [resolveLocalRef(root, ref)];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isSchemaObject(node) || seen.has(node)) continue;
    seen.add(node);
    if (node.format === mediaFormat) return true;
    if (typeof node.$ref === 'string') pending.push(resolveLocalRef(root, node.$ref));
    for (const [, child] of subschemas(node, followedKeywords)) pending.push(child.schema);
    for (const [, child] of subschemas(node, conditionalKeywords)) pending.push(child.schema);
  }
  return false;
}

/**
 * The schema a local `$ref` (`#`, `#/definitions/image`) points at inside `root`, or
 * undefined. Props schemas have no `$id`, so every ref that compiles is a local one.
 */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function isSchemaObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The subschemas of `node` under the given keywords, each with its place after the keyword (`.title`, `[0]`, ``). */
function* subschemas(
  node: Record<string, unknown>,
  keywords: { single: readonly string[]; list: readonly string[]; map: readonly string[] },
): Generator<[string, { schema: unknown; at: string }]> {
  for (const keyword of keywords.single) {
    if (isSchemaObject(node[keyword])) yield [keyword, { schema: node[keyword], at: '' }];
  }
  for (const keyword of keywords.list) {
    const list = node[keyword];
    if (Array.isArray(list)) for (const [index, schema] of list.entries()) yield [keyword, { schema, at: `[${index}]` }];
  }
  for (const keyword of keywords.map) {
    const map = node[keyword];
    if (isSchemaObject(map)) for (const [name, schema] of Object.entries(map)) yield [keyword, { schema, at: `.${name}` }];
  }
}
