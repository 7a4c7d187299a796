import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The prefix of a workflow step's credential; the gateway sends such secrets to this service. */
export const stepCredentialPrefix = 'tnxw_';

/** How long a credential lives: a step's attempt is bounded by its lease, which renews. */
const lifetimeSeconds = 15 * 60;

const claimSchema = z.object({ r: z.uuid(), k: z.string().min(1).max(64), a: z.number().int().positive(), e: z.number().int() });

/** What a credential stands for: one attempt of one step of one run. */
export interface StepCredentialClaim {
  runId: string;
  stepKey: string;
  attempt: number;
}

function signingKey(masterKey: string): Buffer {
  return createHmac('sha256', masterKey).update('workflow-step-credential:v1').digest();
}

function sign(masterKey: string, payload: string): string {
  return createHmac('sha256', signingKey(masterKey)).update(payload).digest('base64url');
}

/**
 * Makes the bearer secret a `graphql` step sends to the gateway: signed by this service
 * with a key derived from its master key, so only it makes them, and bound to one attempt
 * of one step, so one that leaks is worthless once the attempt is over (the verifier checks
 * the step is still running that attempt), and in any case after fifteen minutes.
 */
export function mintStepCredential(masterKey: string, claim: StepCredentialClaim, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ r: claim.runId, k: claim.stepKey, a: claim.attempt, e: Math.floor(now / 1000) + lifetimeSeconds }),
  ).toString('base64url');
  return `${stepCredentialPrefix}${payload}.${sign(masterKey, payload)}`;
}

/** The claim of a credential this service made and that has not expired, or why not. */
export function readStepCredential(
  masterKey: string,
  secret: string,
  now = Date.now(),
): { ok: true; claim: StepCredentialClaim } | { ok: false; message: string } {
  const invalid = { ok: false as const, message: "The workflow step's credential is not valid." };
  if (!secret.startsWith(stepCredentialPrefix)) return invalid;
  const [payload, signature, ...rest] = secret.slice(stepCredentialPrefix.length).split('.');
  if (!payload || !signature || rest.length > 0) return invalid;
  const expected = Buffer.from(sign(masterKey, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return invalid;
  let parsed;
  try {
    parsed = claimSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return invalid;
  }
  if (!parsed.success) return invalid;
  if (parsed.data.e * 1000 <= now) return { ok: false, message: "The workflow step's credential has expired." };
  return { ok: true, claim: { runId: parsed.data.r, stepKey: parsed.data.k, attempt: parsed.data.a } };
}
