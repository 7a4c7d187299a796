import { z } from 'zod';

/**
 * Who is calling, as the gateway verified it, plus what the gateway saw of the request.
 * Subgraphs receive this signed (see sign-claims.ts) and trust nothing else about identity.
 */
export const claimsSchema = z.object({
  v: z.literal(1),
  actor: z.discriminatedUnion('type', [
    z.object({ type: z.literal('anonymous') }),
    z.object({
      type: z.literal('user'),
      userId: z.string().min(1),
      /**
       * Present when the user acts through an OAuth app they authorized, or a workflow they
       * created acts as them: it reaches only the fields these scopes allow (and only what
       * the user may do). Absent for the user's own sessions, which are not limited by scopes.
       */
      delegation: z
        .object({
          /** The OAuth app the user authorized. */
          appId: z.string().min(1).optional(),
          /**
           * Or the workflow acting as its creator: its run, and the chain of runs that led
           * to it (oldest first, this run last), which events the run causes carry.
           */
          workflow: z
            .object({ id: z.string().min(1), runId: z.string().min(1), causation: z.array(z.string().min(1)).max(16) })
            .optional(),
          scopes: z.array(z.string()),
        })
        .optional(),
    }),
    z.object({
      /**
       * A program acting for one organization: an API key, or an OAuth app through the
       * client-credentials grant. It reaches only the fields its scopes allow, and only
       * in its organization.
       */
      type: z.literal('client'),
      credential: z.object({ kind: z.enum(['api_key', 'oauth_app']), id: z.string().min(1) }),
      organizationId: z.string().min(1),
      scopes: z.array(z.string()),
      /** Who created the key or registered the app: recorded where a row needs a person. */
      accountableUserId: z.string().min(1),
    }),
  ]),
  requestId: z.string().min(1).max(128),
  clientIp: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
});

export type Claims = z.infer<typeof claimsSchema>;
export type Actor = Claims['actor'];

/** Claims of nobody in particular, for a service asking another what the public may see. */
export function anonymousClaims(requestId: string): Claims {
  return { v: 1, actor: { type: 'anonymous' }, requestId, clientIp: null, userAgent: null };
}

/**
 * The scopes that limit the actor, or null when scopes do not apply (a user's own
 * session, or an anonymous caller, whom the policies alone limit).
 */
export function actorScopes(actor: Actor): readonly string[] | null {
  if (actor.type === 'client') return actor.scopes;
  if (actor.type === 'user' && actor.delegation) return actor.delegation.scopes;
  return null;
}

/**
 * The person a change is attributed to where a row records one (`createdById`): the user,
 * or for a client the user accountable for it. Null for anonymous callers.
 */
export function actingUserId(actor: Actor): string | null {
  if (actor.type === 'user') return actor.userId;
  if (actor.type === 'client') return actor.accountableUserId;
  return null;
}
