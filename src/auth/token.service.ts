import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';

const ISSUER = 'safeguard-conference';
/**
 * How many verified tokens are remembered. A signed-in person sends the same token with every request until it
 * expires, and each verification is an HMAC through WebCrypto's thread pool; 10,000 covers every session live at
 * once in a national deployment's peak hour, in about 4 MB.
 */
const VERIFIED_TOKENS = 10_000;

interface Claims {
  sessionId: string;
  userId: string;
}

/** Signed bearer tokens. They carry only the session id: everything else is re-read from the database. */
@Injectable()
export class TokenService {
  /** Token to its claims and expiry in ms, oldest first: a token is only remembered after its signature held. */
  private readonly verified = new Map<string, Claims & { expiresAt: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async sign(sessionId: string, userId: string, expiresAt: Date): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.config.jwtSecret);
  }

  /**
   * The session and person a valid token was issued for, or null for anything forged, expired or malformed.
   * Whether the session is still live is for the database to say (SessionService), on every request, so a
   * remembered token is never a remembered sign-in: signing out or revoking still ends it at the next request.
   */
  async claimsOf(token: string): Promise<Claims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return { sessionId: known.sessionId, userId: known.userId };
      this.verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.config.jwtSecret, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number')
        return null;
      const claims = { sessionId: payload.sid, userId: payload.sub };
      this.remember(token, { ...claims, expiresAt: payload.exp * 1000 });
      return claims;
    } catch {
      return null;
    }
  }

  private remember(token: string, entry: Claims & { expiresAt: number }): void {
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, entry);
  }
}
