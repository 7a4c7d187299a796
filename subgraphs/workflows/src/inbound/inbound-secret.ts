import { generateSecret, type KeyVault } from '@token-nexus/shared';

/** What an inbound secret is bound to, so its ciphertext cannot serve another workflow. */
const binding = (workflowId: string) => `workflow:${workflowId}:inbound`;

/** A new Standard Webhooks secret for a workflow, sealed for storage. */
export function newInboundSecret(keys: KeyVault, workflowId: string): string {
  return keys.encrypt(generateSecret(), binding(workflowId));
}

/** The workflow's inbound secret in clear. */
export function openInboundSecret(keys: KeyVault, workflowId: string, sealed: string): string {
  return keys.decrypt(sealed, binding(workflowId));
}

/** Where the gateway accepts the workflow's messages. */
export function inboundPath(workflowId: string): string {
  return `/hooks/workflows/${workflowId}`;
}
