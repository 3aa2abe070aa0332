import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { BadUserInputError } from '../common/errors';

/** NCSC and NIST SP 800-63B: length is what makes a password strong; no composition rules. */
const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing cannot be used to burn CPU. */
const MAX_PASSWORD_LENGTH = 256;

/**
 * argon2id with OWASP's baseline parameters (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane): about
 * 60 ms per check here, against 350 ms for the library's defaults, which would let a burst of sign-ins
 * starve the service's two cores. Old hashes carry their own parameters, so these may be raised later.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;
/** Password hashing and the password policy. */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummy?: Promise<string>;

  onModuleInit(): void {
    void this.dummyHash();
  }

  /** A new password must meet the policy; the error names the field it came from. */
  assertAcceptable(password: string, field: string): void {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new BadUserInputError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`, field);
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new BadUserInputError(`The password must be at most ${MAX_PASSWORD_LENGTH} characters`, field);
    }
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /**
   * Whether `password` matches `hash`. With no hash (unknown email, invitation not yet accepted) a dummy hash
   * is verified instead, so the answer takes as long as for a real account and timing does not reveal which
   * emails have one.
   */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.dummyHash());
    const candidate = password.slice(0, MAX_PASSWORD_LENGTH + 1);
    const matches = await argon2.verify(target, candidate).catch(() => false);
    return Boolean(hash) && matches;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    return this.dummy;
  }
}
