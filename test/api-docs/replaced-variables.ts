/**
 * An example's variables with some values replaced by a seed (ids of real data in place of
 * those the reference shows). Objects are merged, anything else is replaced; a seed may only
 * replace a value the example has, so what runs has exactly the shape the reference shows.
 */
export function replacedVariables(shown: Record<string, unknown>, replacements: Record<string, unknown>, path = ''): Record<string, unknown> {
  const result: Record<string, unknown> = { ...shown };
  for (const [key, value] of Object.entries(replacements)) {
    const where = `${path}${key}`;
    if (!(key in shown)) throw new Error(`the seed sets ${where}, which the example does not have`);
    const original = shown[key];
    result[key] = isPlainObject(original) && isPlainObject(value) ? replacedVariables(original, value, `${where}.`) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
