import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';

const ISSUER = 'safeguard-conference';

/** Signed bearer tokens. They carry only the session id: everything else is re-read from the database. */
@Injectable()
export class TokenService {
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
   * Whether the session is still live is for the database to say (SessionService).
   */
  async claimsOf(token: string): Promise<{ sessionId: string; userId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.config.jwtSecret, { issuer: ISSUER, algorithms: ['HS256'] });
      return typeof payload.sid === 'string' && typeof payload.sub === 'string'
        ? { sessionId: payload.sid, userId: payload.sub }
        : null;
    } catch {
      return null;
    }
  }
}
