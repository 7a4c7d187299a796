/**
 * The kinds of step a workflow can use and the JSON Schema (draft 2020-12) of each one's
 * `input`. A workflow is checked against these when it is saved, so a run never meets an
 * input its step cannot read. `workflowStepTypes` serves them as they are.
 */

const variableName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } as const;

/** A header name as HTTP allows it (a token); the ones the platform sets are refused on save. */
const headerName = { type: 'string', pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]{1,100}$' } as const;

/** Headers a step may not set: the platform sets them (or HTTP does), and the idempotency key is derived from the run. */
export const reservedHeaderNames: readonly string[] = ['host', 'content-length', 'idempotency-key', 'connection', 'transfer-encoding'];

export const stepTypes = [
  {
    name: 'condition',
    description:
      'Branches on an expression over the trigger and earlier steps\' outputs (e.g. `trigger.data.amount > 1000 && vars.region == "EU"`): comparisons, `&&`, `||`, `!`, arithmetic, literals and member access; nothing is evaluated as code. Goes to `branches.ifTrue` or `branches.ifFalse`.',
    inputSchema: {
      type: 'object',
      properties: { expression: { type: 'string', minLength: 1, maxLength: 1000 } },
      required: ['expression'],
      additionalProperties: false,
    },
  },
  {
    name: 'setVariables',
    description: 'Sets run variables (`vars.<name>`) later steps read; values may use `{{…}}` templates.',
    inputSchema: {
      type: 'object',
      properties: {
        variables: {
          type: 'object',
          propertyNames: variableName,
          minProperties: 1,
          maxProperties: 50,
        },
      },
      required: ['variables'],
      additionalProperties: false,
    },
  },
  {
    name: 'delay',
    description: 'Waits for a duration (ISO 8601, e.g. `PT15M`, at most 30 days) or until a time, then goes on.',
    inputSchema: {
      type: 'object',
      properties: {
        duration: { type: 'string', pattern: '^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$' },
        until: { type: 'string', format: 'date-time' },
      },
      oneOf: [{ required: ['duration'] }, { required: ['until'] }],
      additionalProperties: false,
    },
  },
  {
    name: 'sendEmail',
    description:
      'Sends an email through the platform\'s mailer to one address (or one `{{…}}` that gives one); `{{…}}` variables in the subject and body are escaped.',
    inputSchema: {
      type: 'object',
      properties: {
        // An address, or one `{{ path }}` that gives one when the step runs (checked then).
        to: { type: 'string', maxLength: 254, anyOf: [{ format: 'email' }, { pattern: '^\\{\\{\\s*[A-Za-z0-9_.-]+\\s*\\}\\}$' }] },
        subject: { type: 'string', minLength: 1, maxLength: 200 },
        body: { type: 'string', minLength: 1, maxLength: 20000 },
      },
      required: ['to', 'subject', 'body'],
      additionalProperties: false,
    },
  },
  {
    name: 'httpRequest',
    description:
      'Sends an HTTP request through the SSRF guard, with an `Idempotency-Key` derived from the run and step. Headers marked `secret` are stored encrypted and never shown again.',
    inputSchema: {
      type: 'object',
      properties: {
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 },
        headers: {
          type: 'array',
          maxItems: 20,
          items: {
            type: 'object',
            properties: {
              name: headerName,
              value: { type: 'string', maxLength: 4096 },
              secret: { type: 'boolean' },
            },
            required: ['name'],
            additionalProperties: false,
            // A plain header needs its value; a secret one may leave it out on update to keep the stored one.
            if: { not: { properties: { secret: { const: true } }, required: ['secret'] } },
            then: { required: ['value'] },
          },
        },
        body: { type: ['string', 'object', 'array'] },
        timeoutMs: { type: 'integer', minimum: 1000, maximum: 120000 },
      },
      required: ['method', 'url'],
      additionalProperties: false,
    },
  },
  {
    name: 'aiPrompt',
    description: 'Asks the organization\'s assistant (through the AI domain) and puts the reply into a run variable.',
    inputSchema: {
      type: 'object',
      properties: {
        prompt: { type: 'string', minLength: 1, maxLength: 20000 },
        model: { type: 'string', minLength: 1, maxLength: 100 },
        outputVariable: variableName,
      },
      required: ['prompt', 'outputVariable'],
      additionalProperties: false,
    },
  },
  {
    name: 'graphql',
    description:
      'Runs one operation (query or mutation) of this graph as the workflow\'s creator, limited to the workflow\'s scopes; its data can go into a run variable.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, maxLength: 20000 },
        variables: { type: 'object' },
        outputVariable: variableName,
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
] as const;

export type StepTypeName = (typeof stepTypes)[number]['name'];

export const stepTypeNames: readonly string[] = stepTypes.map((type) => type.name);

export function isStepType(name: string): name is StepTypeName {
  return stepTypeNames.includes(name);
}
