/**
 * The expected outcomes a caller can act on (DESIGN §7), one class per stable code. Services, repositories,
 * access decisions and jobs throw these and nothing else for expected outcomes; they know nothing of the
 * transport. The GraphQL layer (src/graphql/error-formatter.ts) turns each into `extensions.code` and its
 * details; the pages show them as they come back from GraphQL. Anything else that escapes is an internal
 * error, answered without details.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'RATE_LIMITED';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  /** What a client may be told beside the message and the code (the field at fault, when to retry). */
  details(): Record<string, unknown> {
    return {};
  }
}

/**
 * Input that can never succeed as sent. `field` names the input field, e.g. `input.identifiers[0].value`, so a
 * client can put the message beside it; a variable's value that does not fit its type names the variable
 * (`$input.identifiers[0].value`, see src/graphql/error-formatter.ts).
 */
export class BadUserInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message: string,
    readonly field: string,
    /** The values the field may take, when the caller may be told them (the agencies a person signs in for). */
    readonly choices?: ReadonlyArray<{ value: string; label: string }>,
  ) {
    super(message);
  }

  override details(): Record<string, unknown> {
    return this.choices ? { field: this.field, choices: this.choices } : { field: this.field };
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';

  constructor(message = 'Sign in to continue') {
    super(message);
  }
}

/** The actor may see the thing but not do this to it. Never used to hide existence: that is NotFoundError. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';

  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

/** Also the answer for a record the actor may not see, so that its existence is not disclosed. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';

  constructor(subject: string, id?: string) {
    super(id ? `${subject} ${id} not found` : `${subject} not found`);
  }
}

/** A stale version (someone else changed it first) or a duplicate. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/** The request is valid but the record is in the wrong state for it (quorum not met, already decided). */
export class FailedPreconditionError extends DomainError {
  readonly code = 'FAILED_PRECONDITION';
}

/**
 * `retryAt`, when the refusal lasts until a known moment (a sign-in lockout), so a person told to wait can be
 * told until when, in their own time zone.
 */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly retryAt?: Date,
  ) {
    super(message);
  }

  override details(): Record<string, unknown> {
    return {
      retryAfterSeconds: this.retryAfterSeconds,
      ...(this.retryAt ? { retryAt: this.retryAt.toISOString() } : {}),
    };
  }
}
