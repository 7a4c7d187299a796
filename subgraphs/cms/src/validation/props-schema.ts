import { createRequire } from 'node:module';
import { BadUserInputError } from '@token-nexus/shared';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { jsonNestingExceeds } from './json-nesting.ts';
import { isMediaId, mediaFormat, misplacedMediaFormat } from './media-schema.ts';

const require = createRequire(import.meta.url);

/** Bounds of a props schema: it is compiled into code and run on every document write. */
export const propsSchemaLimits = { maxBytes: 64 * 1024, maxNesting: 32 } as const;

/**
 * One Ajv for the process. Props schemas are written by organizations, so:
 * - `strictSchema`: an unknown keyword or format is an error, not silently ignored (a
 *   typo like `"maxLenght"` would otherwise validate nothing);
 * - `addUsedSchema: false`: a schema's `$id` is never registered on the shared instance,
 *   so one organization's schema can never be `$ref`-erenced from another's;
 * - `allErrors: false`: stop at the first error (what we report), and the advice of Ajv's
 *   security notes for untrusted data;
 * - no defaults, coercion or removal: validating never changes the props it checks.
 */
export const ajv = new Ajv({
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  addUsedSchema: false,
  allErrors: false,
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
  logger: false,
});
addFormats(ajv);
// A media prop: the id of an asset of the organization's media library. That it is a READY
// asset of the page's organization is asked of the media subgraph when the document is
// stored (providers/document-check.ts); here, only that it is shaped like one.
ajv.addFormat(mediaFormat, { type: 'string', validate: isMediaId });

/**
 * Ajv's meta-schema for schemas that are safe to run on untrusted data: a `pattern` or
 * `format` needs a `maxLength`, `uniqueItems` on objects a `maxItems`, and so on, so that
 * checking a props object stays fast whatever its author wrote.
 */
const isSecureSchema = ajv.compile(require('ajv/lib/refs/json-schema-secure.json') as AnySchemaObject);

/**
 * Checks that `schema` is a usable props schema: a JSON Schema (draft-07) object that
 * Ajv compiles in strict mode and that passes the security meta-schema, without `$id`
 * (schemas are self-contained: use `definitions` and local `$ref`s), whose `media` props
 * (if any) are where a document walk finds them (see media-schema.ts). Throws
 * BAD_USER_INPUT naming the place at fault under `field`, e.g. `input.propsSchema.properties.title`.
 */
export function assertValidPropsSchema(schema: unknown, field = 'input.propsSchema'): AnySchemaObject {
  const refuse = (message: string, at = field): never => {
    throw new BadUserInputError(`${at}: ${message}`, { field: at });
  };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return refuse('must be a JSON Schema object');
  }
  if (jsonNestingExceeds(schema, propsSchemaLimits.maxNesting)) return refuse('is nested too deeply');
  if (Buffer.byteLength(JSON.stringify(schema)) > propsSchemaLimits.maxBytes) {
    return refuse(`must be at most ${propsSchemaLimits.maxBytes / 1024} KiB of JSON`);
  }
  const idPath = pathOfKey(schema, '$id');
  if (idPath !== null) return refuse('$id is not allowed: a props schema is self-contained', `${field}${idPath}`);
  if (!ajv.validateSchema(schema)) {
    const [error] = ajv.errors ?? [];
    return refuse(error?.message ?? 'is not a valid JSON Schema', `${field}${pointerToPath(error?.instancePath ?? '', schema)}`);
  }
  if (!isSecureSchema(schema)) {
    const [error] = isSecureSchema.errors ?? [];
    return refuse(
      `${error?.message ?? 'is not safe'} (patterns and formats need a maxLength, so that validating stays fast)`,
      `${field}${pointerToPath(error?.instancePath ?? '', schema)}`,
    );
  }
  const mediaPath = misplacedMediaFormat(schema);
  if (mediaPath !== null) {
    return refuse(
      'a "media" prop must be found from the schema alone: not under anyOf, oneOf, not, if/then/else, contains, propertyNames or dependencies (for an optional image use "type": ["string", "null"])',
      `${field}${mediaPath}`,
    );
  }
  try {
    compileFresh(schema as AnySchemaObject);
  } catch (error) {
    return refuse(error instanceof Error ? error.message : 'does not compile');
  }
  return schema as AnySchemaObject;
}

/**
 * Compiles a props schema on the shared Ajv, then drops Ajv's own cache entry for it:
 * that cache is keyed by the schema object and would otherwise keep every schema ever
 * compiled for the life of the process. Callers keep the compiled function themselves.
 */
export function compileFresh(schema: AnySchemaObject): ValidateFunction {
  try {
    return ajv.compile(schema);
  } finally {
    ajv.removeSchema(schema);
  }
}

/**
 * Where an Ajv error points inside `data`, as a field path (`.title`, `.items[0].url`),
 * including the property a `required` or `additionalProperties` error is about.
 */
export function errorPath(error: ErrorObject, data: unknown): string {
  const params = error.params as Record<string, unknown>;
  const property = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
  const base = pointerToPath(error.instancePath, data);
  return typeof property === 'string' ? `${base}.${property}` : base;
}

/**
 * A JSON Pointer (`/items/0/url`) as a field path (`.items[0].url`): a step into an array
 * is written `[i]`, any other `.key`, telling them apart by the data it points into.
 */
export function pointerToPath(pointer: string, data: unknown): string {
  if (pointer === '') return '';
  let current: unknown = data;
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += Array.isArray(current) ? `[${key}]` : `.${key}`;
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

/** The path of the first object key named `key` anywhere in `value`, or null. */
function pathOfKey(value: unknown, key: string): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.shift()!;
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
      continue;
    }
    if (Object.hasOwn(current, key)) return `${path}.${key}`;
    for (const [name, item] of Object.entries(current)) pending.push({ value: item, path: `${path}.${name}` });
  }
  return null;
}
