import { Inject, Injectable } from '@nestjs/common';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';

/** The signed-in session of a page request, once SignedInGuard has let it through. */
interface WebSession {
  /** The API session's bearer token: what every operation of the page runs as. */
  readonly token: string;
  /** The synchronizer token every form of this session carries. */
  readonly csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    webSession?: WebSession;
  }
}

/** What the session cookie says: a token, and whether it has gone unused for longer than the idle timeout. */
export type SessionCookie = { token: string; idle: boolean };

const SESSION_COOKIE = 'safeguard_session';
/** Binds the sign-in form's CSRF token to this browser before there is any session. */
const PRE_SESSION_COOKIE = 'safeguard_presession';
export const CSRF_FIELD = '_csrf';

/**
 * The pages' cookie session. The cookie holds the API session's token (the server can end it: `logout`, a
 * deactivation, a membership ended) and the time of the person's last request, signed together so neither can
 * be changed: the idle timeout is the server's, and holds without JavaScript. HttpOnly, so no script reads it;
 * SameSite=Lax, so another site's form or script does not send it; Secure in production, so it travels over TLS
 * only; no Max-Age, so it goes when the browser closes.
 *
 * CSRF tokens are synchronizer tokens: an HMAC, under a key of the service's secret, of the session token (or,
 * before sign-in, of a random value in a cookie of its own). A token never leaves its session, and no server
 * state is needed to check one. OWASP CSRF Prevention Cheat Sheet, "Signed double-submit" and "Synchronizer".
 */
@Injectable()
export class WebSessions {
  private readonly key: Buffer;
  private readonly secure: boolean;
  readonly idleSeconds: number;
  /** GOV.UK's timeout warning comes 2 minutes before, or halfway for timeouts shorter than 4 minutes. */
  readonly warnSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('safeguard pages: session cookie and CSRF').digest();
    this.secure = config.env === 'production';
    this.idleSeconds = config.sessionIdleSeconds;
    this.warnSeconds = Math.min(120, Math.floor(config.sessionIdleSeconds / 2));
  }

  /** The session the request's cookie carries; undefined for none, or one whose signature does not hold. */
  read(request: FastifyRequest): SessionCookie | undefined {
    return this.readValue(request.cookies[SESSION_COOKIE]);
  }

  /**
   * The bearer authorization a live-update socket's upgrade request proves with the session cookie, for the
   * header's unread count (assets/live-notifications.ts): the script cannot read the HttpOnly cookie, and the
   * browser sends it with the upgrade. Only from one of the pages themselves: a WebSocket is not bound by the
   * same-origin policy and the browser sends the cookie wherever the script runs, so an upgrade whose Origin is
   * not this service's own host (another site's script: cross-site WebSocket hijacking) proves nothing, and nor
   * does one without an Origin. A session idle too long proves nothing either; a socket does not count as use,
   * so it does not keep a session alive, and the server closes it once the session has ended.
   */
  socketAuthorization(request: IncomingMessage): string | undefined {
    const { origin, host, cookie } = request.headers;
    if (!origin || !host || !cookie) return undefined;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return undefined;
    }
    if (originHost !== host) return undefined;
    const session = this.readValue(fastifyCookie.parse(cookie)[SESSION_COOKIE]);
    return session && !session.idle ? `Bearer ${session.token}` : undefined;
  }

  private readValue(value: string | undefined): SessionCookie | undefined {
    const match = value?.match(/^(\d+)\.([\w-]+)\.(.+)$/);
    if (!match) return undefined;
    const [, seenAt, mac, token] = match;
    if (!this.same(mac, this.mac(`session\0${seenAt}\0${token}`))) return undefined;
    return { token, idle: Date.now() / 1000 - Number(seenAt) > this.idleSeconds };
  }

  /** Starts the idle timeout again from now (every signed-in request, and "stay signed in"). */
  write(reply: FastifyReply, token: string): void {
    const seenAt = String(Math.floor(Date.now() / 1000));
    const value = `${seenAt}.${this.mac(`session\0${seenAt}\0${token}`)}.${token}`;
    reply.setCookie(SESSION_COOKIE, value, this.cookieOptions());
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  /** The CSRF token for a session's forms. */
  csrfForSession(token: string): string {
    return this.mac(`csrf\0session\0${token}`);
  }

  /** The CSRF token of the sign-in form, bound to this browser by a cookie set now if it has none. */
  csrfBeforeSignIn(request: FastifyRequest, reply: FastifyReply): string {
    let nonce = request.cookies[PRE_SESSION_COOKIE];
    if (!nonce || !/^[\w-]{43}$/.test(nonce)) {
      nonce = randomBytes(32).toString('base64url');
      reply.setCookie(PRE_SESSION_COOKIE, nonce, this.cookieOptions());
    }
    return this.mac(`csrf\0browser\0${nonce}`);
  }

  /** Whether a form's CSRF token is the one its session (or, signed out, this browser) was given. */
  csrfHolds(request: FastifyRequest, submitted: unknown): boolean {
    if (typeof submitted !== 'string' || submitted === '') return false;
    // Either binding is this browser's secret: a sign-in form may be sent back while an older session cookie remains.
    const session = this.read(request);
    if (session && this.same(submitted, this.csrfForSession(session.token))) return true;
    const nonce = request.cookies[PRE_SESSION_COOKIE];
    return nonce !== undefined && this.same(submitted, this.mac(`csrf\0browser\0${nonce}`));
  }

  private cookieOptions() {
    return { path: '/', httpOnly: true, sameSite: 'lax', secure: this.secure } as const;
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private same(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
