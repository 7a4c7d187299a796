import { randomUUID } from 'node:crypto';
import { anonymousClaims, claimsSchema, signedClaimsHeaders, type Actor } from '@token-nexus/shared';
import type { Agent } from 'undici';
import { z } from 'zod';
import { postToSubgraph } from '../subgraph-response.ts';

/** Prefixes of the bearer secrets that programs hold (API keys, OAuth access tokens, a workflow step's credential). */
export const programSecretPrefixes = ['tnx_', 'tnxo_', 'tnxw_'] as const;

/** A workflow step's credential: the workflows service made it and is the one to ask. */
const workflowSecretPrefix = 'tnxw_';

export function isProgramSecret(token: string): boolean {
  return programSecretPrefixes.some((prefix) => token.startsWith(prefix));
}

/** Who a program's secret stands for, or why it stands for no one. */
export type CredentialVerdict = { ok: true; actor: Actor } | { ok: false; message: string };

export interface CredentialVerifier {
  verify(secret: string): Promise<CredentialVerdict>;
}

const verdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), actor: claimsSchema.shape.actor }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/**
 * Asks the integrations subgraph, which owns API keys and OAuth apps, on every request
 * that carries one: nothing is cached, so a revoked key or app stops working at once. A
 * workflow step's credential goes to the workflows subgraph the same way. The question is
 * signed like any gateway → subgraph request; the route refuses anyone else.
 */
export function createCredentialVerifier(options: {
  integrationsUrl: string;
  workflowsUrl: string;
  signingSecret: string;
  agent: Agent;
  timeoutMs?: number;
}): CredentialVerifier {
  const integrations = new URL('/internal/credentials/verify', options.integrationsUrl).toString();
  const workflows = new URL('/internal/credentials/verify', options.workflowsUrl).toString();
  return {
    async verify(secret) {
      const url = secret.startsWith(workflowSecretPrefix) ? workflows : integrations;
      const body = JSON.stringify({ secret });
      const claims = anonymousClaims(randomUUID());
      const response = await postToSubgraph(url, {
        headers: {
          'content-type': 'application/json',
          ...signedClaimsHeaders(options.signingSecret, claims, body),
        },
        body,
        agent: options.agent,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      if (!response.ok) throw new Error(`${url} answered ${response.status} to a credential check`);
      return verdictSchema.parse(await response.json());
    },
  };
}
