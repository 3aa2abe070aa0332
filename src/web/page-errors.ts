/**
 * What a page answers when it cannot show what was asked for. Thrown by the pages and their guards, rendered by
 * PageErrorFilter.
 */

/** No page here, or one the person may not reach: the two are the same answer (DESIGN §4, §9). */
export class PageNotFound extends Error {
  constructor() {
    super('Page not found');
  }
}

/** Not signed in, or no longer (the session ended or idled out): to the sign-in page, and back afterwards. */
export class SignInRequired extends Error {
  constructor(
    readonly returnTo: string | undefined,
    readonly reason?: 'timed-out' | 'ended',
  ) {
    super('Sign in to continue');
  }
}

/**
 * A form sent without the token its page gave it (another site's form, or a page older than the session): refused
 * before anything runs.
 */
export class FormRefused extends Error {
  constructor() {
    super('This form could not be sent');
  }
}

/** The API refused, with a message written for the person: FORBIDDEN, CONFLICT, FAILED_PRECONDITION, RATE_LIMITED. */
export class PageRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Something went wrong on the service's side; the person can quote the correlation id. */
export class PageInternalError extends Error {
  constructor(readonly correlationId: string) {
    super('Internal server error');
  }
}
