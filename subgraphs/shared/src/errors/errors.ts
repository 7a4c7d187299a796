import { GraphQLError } from 'graphql';
import type { ErrorCode } from './error-codes.ts';

/**
 * An error the client is meant to see: its message is safe to show and its code tells
 * the client what to do. Anything else thrown in a resolver is masked as
 * INTERNAL_SERVER_ERROR.
 */
export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code } });
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message = 'You must be signed in to do this.') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

/** Bad input; `field` names the argument or input field at fault when there is one. */
export class BadUserInputError extends ApiError {
  constructor(message: string, details: { field?: string } & Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export class QuotaExceededError extends ApiError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('QUOTA_EXCEEDED', message, details);
  }
}

export class NotConfiguredError extends ApiError {
  constructor(message: string) {
    super('NOT_CONFIGURED', message);
  }
}

/** A dependency outside the platform (a chain's RPC endpoints) does not answer: retry later. */
export class UnavailableError extends ApiError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}
