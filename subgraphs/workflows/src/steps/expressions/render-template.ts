import type { RunScope } from '../../engine/step-execution.ts';
import { isScopeRoot, readPath } from './read-path.ts';

/**
 * `{{ path }}`: a dotted path from trigger, vars or steps, array indexes as segments
 * (`{{ steps.fetch.output.items.0.name }}`); a segment is letters, digits, `_`, `-` or `$`
 * (step keys have `-`). Braces around anything else are not a template and stay as they
 * are: an email body may well hold `{{` of its own, and nothing here evaluates expressions.
 */
const template = /\{\{\s*([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)\s*\}\}/g;
const wholeTemplate = /^\{\{\s*([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)\s*\}\}$/;

export interface RenderOptions {
  /** Applied to each inserted value (not to the text around it), e.g. to keep a subject on one line. */
  escape?: (text: string) => string;
}

/**
 * `text` with every `{{ path }}` replaced by the value there: a string as it is, null or a
 * missing value as nothing, anything else as JSON (`3`, `true`, `{"a":1}`). Property
 * access is read-path.ts's: own data only, never the prototype chain.
 */
export function renderTemplate(text: string, scope: RunScope, options: RenderOptions = {}): string {
  const escape = options.escape ?? ((inserted: string) => inserted);
  return text.replace(template, (whole, path: string) => {
    const value = valueAt(scope, path);
    return value === NOT_A_PATH ? whole : escape(asText(value));
  });
}

/**
 * A JSON value (a step's input) with every string in it rendered. A string that is exactly
 * one `{{ path }}` becomes the value itself, keeping its type (a number stays a number, an
 * object an object), with a missing value as null so the result stays JSON. Object keys are
 * not rendered.
 */
export function renderValue(value: unknown, scope: RunScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, scope)]));
  }
  return value;
}

function renderString(text: string, scope: RunScope): unknown {
  const whole = wholeTemplate.exec(text);
  if (whole) {
    const value = valueAt(scope, whole[1]!);
    if (value !== NOT_A_PATH) return value ?? null;
  }
  return renderTemplate(text, scope);
}

/** Marks a `{{ … }}` whose first name is not trigger, vars or steps: left as written. */
const NOT_A_PATH = Symbol('not a path');

function valueAt(scope: RunScope, path: string): unknown {
  const [root, ...segments] = path.split('.') as [string, ...string[]];
  return isScopeRoot(root) ? readPath(scope, root, segments) : NOT_A_PATH;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
