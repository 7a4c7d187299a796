import { BadUserInputError, type KeyVault } from '@token-nexus/shared';
import type { StoredHeader, StoredStep } from '../models.ts';

/** A header as a client sends it: a secret one may leave `value` out to keep the stored one. */
interface HeaderInput {
  name: string;
  value?: string;
  secret?: boolean;
}

/**
 * What a secret header value is bound to, so a ciphertext copied to another workflow,
 * step or header does not decrypt.
 */
export const secretBinding = (workflowId: string, stepKey: string, headerName: string) =>
  `workflow:${workflowId}:step:${stepKey}:header:${headerName.toLowerCase()}`;

function storedHeadersOf(step: StoredStep | undefined): StoredHeader[] {
  return step?.type === 'httpRequest' ? ((step.input.headers as StoredHeader[] | undefined) ?? []) : [];
}

/**
 * The steps as they are stored: every secret httpRequest header's value encrypted under the
 * master key. A secret header sent without a value keeps the ciphertext it had in the
 * previous version (same step key and header name); without one there is nothing to keep.
 */
export function sealSecretHeaders(
  keys: KeyVault,
  workflowId: string,
  steps: StoredStep[],
  previous: StoredStep[] = [],
): StoredStep[] {
  return steps.map((step, index) => {
    if (step.type !== 'httpRequest' || !Array.isArray(step.input.headers)) return step;
    const before = storedHeadersOf(previous.find((candidate) => candidate.key === step.key));
    const headers = (step.input.headers as HeaderInput[]).map((header, headerIndex): StoredHeader => {
      if (header.secret !== true) return { name: header.name, value: header.value!, secret: false };
      if (header.value !== undefined) {
        return { name: header.name, secret: true, encryptedValue: keys.encrypt(header.value, secretBinding(workflowId, step.key, header.name)) };
      }
      const kept = before.find((old) => old.secret && old.name.toLowerCase() === header.name.toLowerCase());
      if (!kept?.secret) {
        throw new BadUserInputError(`steps[${index}] (${step.key}).input.headers[${headerIndex}].value: is required (no stored secret to keep)`, {
          field: `input.steps[${index}].input.headers[${headerIndex}].value`,
        });
      }
      return kept;
    });
    return { ...step, input: { ...step.input, headers } };
  });
}

/** A step as the API returns it: secret header values left out (name and `secret: true` only). */
export function publicStep(step: StoredStep): StoredStep {
  if (step.type !== 'httpRequest') return step;
  const headers = storedHeadersOf(step).map((header) =>
    header.secret ? { name: header.name, secret: true } : { name: header.name, value: header.value, secret: false },
  );
  return { ...step, input: { ...step.input, ...(step.input.headers ? { headers } : {}) } };
}

/** A secret header's value in clear, for the step that sends it (the next part of issue 18). */
export function revealSecretHeader(keys: KeyVault, workflowId: string, stepKey: string, header: StoredHeader): string {
  return header.secret ? keys.decrypt(header.encryptedValue, secretBinding(workflowId, stepKey, header.name)) : header.value;
}
