import { isUniqueConstraintError } from '@token-nexus/prisma';
import {
  BadUserInputError,
  ConflictError,
  UnauthenticatedError,
  parseInput,
} from '@token-nexus/shared';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../auth/passwords.ts';
import { passwordWeakness } from '../auth/password-strength.ts';
import type { IdentityContext } from '../context.ts';
import type { UserModel } from '../models.ts';
import { logInInput, signUpInput } from '../validation/inputs.ts';

/** Creates an account. Every check runs before the single insert, so nothing half-exists. */
export async function createUser(ctx: IdentityContext, rawInput: unknown): Promise<UserModel> {
  const input = parseInput(signUpInput, rawInput, 'input');
  const weakness = passwordWeakness(input.password, [input.email, input.displayName]);
  if (weakness) throw new BadUserInputError(weakness, { field: 'input.password' });
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.prisma.user.create({
      data: { email: input.email, displayName: input.displayName, passwordHash },
      omit: { passwordHash: true },
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) {
      throw new ConflictError('An account with this email already exists.', { field: 'input.email' });
    }
    throw error;
  }
}

/** Checks an email and password; the same error (and about the same time) for either being wrong. */
export async function authenticateUser(
  ctx: IdentityContext,
  rawInput: unknown,
): Promise<UserModel> {
  const input = parseInput(logInInput, rawInput, 'input');
  const user = await ctx.prisma.user.findUnique({ where: { email: input.email } });
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyAgainstDecoy(input.password);
  if (!user || !valid) {
    ctx.logger.info({ event: 'login_failed' }, 'failed sign-in attempt');
    throw new UnauthenticatedError('Invalid email or password.');
  }
  const { passwordHash: _hash, ...withoutHash } = user;
  return withoutHash;
}
