import { auditedTransaction, isUniqueConstraintError } from '@token-nexus/prisma';
import {
  BadUserInputError,
  ConflictError,
  UnauthenticatedError,
  parseInput,
} from '@token-nexus/shared';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../auth/passwords.ts';
import { passwordWeakness } from '../auth/password-strength.ts';
import type { IdentityContext } from '../context.ts';
import { logInInput, signUpInput } from '../validation/inputs.ts';
import { recordFailedLogin } from './failed-logins.ts';
import { issueSession, type AuthPayloadModel } from './sessions.ts';

/**
 * Creates an account and its first session. Every check runs first; then the user, the
 * session and the audit entry are written in one transaction, so nothing half-exists.
 */
export async function signUp(ctx: IdentityContext, rawInput: unknown): Promise<AuthPayloadModel> {
  const input = parseInput(signUpInput, rawInput, 'input');
  const weakness = passwordWeakness(input.password, [input.email, input.displayName]);
  if (weakness) throw new BadUserInputError(weakness, { field: 'input.password' });
  const passwordHash = await hashPassword(input.password);
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const user = await tx.user.create({
        data: { email: input.email, displayName: input.displayName, passwordHash },
        omit: { passwordHash: true },
      });
      audit({
        organizationId: null,
        action: 'user.signed_up',
        actor: { type: 'USER', id: user.id },
        target: { type: 'user', id: user.id },
        changes: { after: { email: user.email, displayName: user.displayName } },
      });
      return issueSession(ctx, tx, user);
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) {
      throw new ConflictError('An account with this email already exists.', { field: 'input.email' });
    }
    throw error;
  }
}

/**
 * Signs in with email and password: the same error (and about the same time) for either
 * being wrong. Failures are recorded as security events; a success starts a session.
 */
export async function logIn(ctx: IdentityContext, rawInput: unknown): Promise<AuthPayloadModel> {
  const input = parseInput(logInInput, rawInput, 'input');
  const user = await ctx.prisma.user.findUnique({ where: { email: input.email } });
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) {
    await recordFailedLogin(ctx, input.email, user);
    throw new UnauthenticatedError('Invalid email or password.');
  }
  const { passwordHash: _hash, ...withoutHash } = user;
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    audit({
      organizationId: null,
      action: 'user.logged_in',
      actor: { type: 'USER', id: user.id },
      target: { type: 'user', id: user.id },
    });
    return issueSession(ctx, tx, withoutHash);
  });
}
