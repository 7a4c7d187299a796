import { z } from 'zod';

/**
 * Who is calling, as the gateway verified it, plus what the gateway saw of the request.
 * Subgraphs receive this signed (see sign-claims.ts) and trust nothing else about identity.
 */
export const claimsSchema = z.object({
  v: z.literal(1),
  actor: z.discriminatedUnion('type', [
    z.object({ type: z.literal('anonymous') }),
    z.object({ type: z.literal('user'), userId: z.string().min(1) }),
  ]),
  requestId: z.string().min(1).max(128),
  clientIp: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
});

export type Claims = z.infer<typeof claimsSchema>;
export type Actor = Claims['actor'];
