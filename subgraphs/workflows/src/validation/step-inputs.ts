import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { reservedHeaderNames, stepTypes, type StepTypeName } from '../steps/step-types.ts';

// Strict about the schemas themselves (unknown keywords, formats), except where draft 2020-12
// idioms trip it: `oneOf: [{ required }]` and `if`/`then` subschemas without their own `type`.
const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
addFormats.default(ajv, ['email', 'uri', 'date-time']);

/** Compiled once per process: every save checks each step against its type's schema. */
const validators = new Map<StepTypeName, ValidateFunction>(
  stepTypes.map((type) => [type.name, ajv.compile(type.inputSchema)]),
);

/** A problem in a step's input: where (a path below `input`, e.g. `.to`, `.headers[0].name`) and what. */
export interface StepInputProblem {
  path: string;
  message: string;
}

/** The first problem of a step's input under its type's JSON Schema, or null when it satisfies it. */
export function stepInputProblem(type: StepTypeName, input: unknown): StepInputProblem | null {
  const validate = validators.get(type)!;
  if (!validate(input)) {
    const [error] = validate.errors!;
    // Inside `oneOf` the first branch's complaint would read as if that branch were the only way.
    if (error!.schemaPath === '#/oneOf' || error!.schemaPath.startsWith('#/oneOf/')) return { path: '', message: `must have exactly one of ${alternativesOf(type)}` };
    return describe(error!);
  }
  if (type === 'httpRequest') return reservedHeaderProblem(input as { headers?: { name: string }[] });
  return null;
}

/** `duration or until`: the fields a `oneOf` of `required` alternatives asks for. */
function alternativesOf(type: StepTypeName): string {
  const schema = stepTypes.find((candidate) => candidate.name === type)!.inputSchema as { oneOf?: { required: readonly string[] }[] };
  return (schema.oneOf ?? []).map((branch) => branch.required.join(' and ')).join(' or ');
}

function reservedHeaderProblem(input: { headers?: { name: string }[] }): StepInputProblem | null {
  for (const [index, header] of (input.headers ?? []).entries()) {
    if (reservedHeaderNames.includes(header.name.toLowerCase())) {
      return { path: `.headers[${index}].name`, message: `must not be ${header.name}: the platform sets it` };
    }
  }
  return null;
}

const formatNames: Record<string, string> = { email: 'an email', uri: 'a URL', 'date-time': 'a date and time (ISO 8601)' };

/** Ajv's error in the words of this API, at the field it concerns. */
function describe(error: ErrorObject): StepInputProblem {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replaceAll('~1', '/').replaceAll('~0', '~')}`))
    .join('');
  const params = error.params as Record<string, unknown>;
  // A key of an object that `propertyNames` refuses (a variable's name): the error is about the name.
  if (error.propertyName !== undefined) {
    return { path: `${path}.${error.propertyName}`, message: 'must be a name of letters, digits and _ (not starting with a digit), at most 64' };
  }
  switch (error.keyword) {
    case 'required':
      return { path: `${path}.${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${path}.${String(params.additionalProperty)}`, message: 'is not a field of this step type' };
    case 'format':
      return { path, message: `must be ${formatNames[String(params.format)] ?? String(params.format)}` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    default:
      return { path, message: error.message ?? 'is not valid' };
  }
}
