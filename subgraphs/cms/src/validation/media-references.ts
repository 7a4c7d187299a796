import { isSchemaObject, mediaFormat, resolveLocalRef } from './media-schema.ts';
import { placedNodes, type PageDocument } from './page-document.ts';

/** A prop of a document that names a media asset. */
export interface MediaReference {
  /** Where, as a BAD_USER_INPUT names it: `document.children[2].props.image`. */
  field: string;
  /** The value: an asset id, if the props were checked against the same schemas. */
  id: string;
}

/**
 * Every media reference of a document, in document order: each string value whose place
 * the node's component schema gives the `media` format, through `properties`,
 * `patternProperties`, `additionalProperties`, `items`, `additionalItems`, `allOf` and local
 * `$ref`s (the only places media-schema.ts lets it be). Nodes whose component is not in
 * `components` have none.
 */
export function mediaReferencesIn(
  document: PageDocument,
  components: ReadonlyMap<string, { propsSchema: unknown }>,
  field = 'document',
): MediaReference[] {
  const references: MediaReference[] = [];
  for (const { node, path } of placedNodes(document, field)) {
    const schema = components.get(node.component)?.propsSchema;
    if (schema !== undefined) collect(schema, schema, node.props, `${path}.props`, references, new Set());
  }
  return references;
}

/**
 * Walks `value` with `schema` (a part of `root`). `seen` holds the schemas already applied
 * to this same value, so that `$ref`s going round in a circle without going deeper into
 * the value end.
 */
function collect(root: unknown, schema: unknown, value: unknown, path: string, found: MediaReference[], seen: Set<unknown>): void {
  if (!isSchemaObject(schema) || seen.has(schema)) return;
  seen.add(schema);
  if (schema.format === mediaFormat && typeof value === 'string') found.push({ field: path, id: value });
  if (typeof schema.$ref === 'string') collect(root, resolveLocalRef(root, schema.$ref), value, path, found, seen);
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) collect(root, part, value, path, found, seen);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemSchema = Array.isArray(schema.items)
        ? index < schema.items.length ? schema.items[index] : schema.additionalItems
        : schema.items;
      collect(root, itemSchema, item, `${path}[${index}]`, found, new Set());
    });
  } else if (isSchemaObject(value)) {
    const properties = isSchemaObject(schema.properties) ? schema.properties : {};
    const patterns = isSchemaObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const [key, item] of Object.entries(value)) {
      const itemPath = `${path}.${key}`;
      let matched = false;
      if (Object.hasOwn(properties, key)) {
        matched = true;
        collect(root, properties[key], item, itemPath, found, new Set());
      }
      for (const [pattern, patternSchema] of patterns) {
        // Ajv matches patternProperties as Unicode regular expressions; the schema compiled, so this one does too.
        if (new RegExp(pattern, 'u').test(key)) {
          matched = true;
          collect(root, patternSchema, item, itemPath, found, new Set());
        }
      }
      if (!matched) collect(root, schema.additionalProperties, item, itemPath, found, new Set());
    }
  }
}
