import { GraphQLError } from 'graphql';

/**
 * The stable error codes clients rely on (DESIGN §7). One class per code; services throw these and nothing else
 * for expected outcomes. Anything else that escapes a resolver is an internal error and is answered without
 * details (see error-formatter.ts).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'RATE_LIMITED';

export abstract class AppError extends GraphQLError {
  protected constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/**
 * Input that can never succeed as sent. `field` names the input field, e.g. `input.identifiers[0].value`, so a
 * client can put the message beside it; a variable's value that does not fit its type names the variable
 * (`$input.identifiers[0].value`, see error-formatter.ts).
 */
export class BadUserInputError extends AppError {
  constructor(message: string, field: string) {
    super(message, 'BAD_USER_INPUT', { field });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** The actor may see the thing but not do this to it. Never used to hide existence: that is NotFoundError. */
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(message, 'FORBIDDEN');
  }
}

/** Also the answer for a record the actor may not see, so that its existence is not disclosed. */
export class NotFoundError extends AppError {
  constructor(subject: string, id?: string) {
    super(id ? `${subject} ${id} not found` : `${subject} not found`, 'NOT_FOUND');
  }
}

/** A stale version (someone else changed it first) or a duplicate. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

/** The request is valid but the record is in the wrong state for it (quorum not met, already decided). */
export class FailedPreconditionError extends AppError {
  constructor(message: string) {
    super(message, 'FAILED_PRECONDITION');
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, 'RATE_LIMITED', { retryAfterSeconds });
  }
}
