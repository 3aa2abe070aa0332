import { SignJWT } from 'jose';
import type { AppConfig } from '../config/config';
import { TokenService } from './token.service';

const SECRET = new TextEncoder().encode('a-test-secret-of-at-least-32-characters');
const SESSION = '6f1c1a52-5b7c-4d0e-9d55-1b2f3a4c5d6e';
const USER = '0b8e2c71-3d4a-4f5b-8c6d-7e8f9a0b1c2d';

describe('TokenService', () => {
  const tokens = new TokenService({ jwtSecret: SECRET } as AppConfig);
  const inAMinute = () => new Date(Date.now() + 60_000);

  afterEach(() => jest.useRealTimers());

  it('gives the session and person of a token it signed, as often as the token is shown', async () => {
    const token = await tokens.sign(SESSION, USER, inAMinute());
    expect(await tokens.claimsOf(token)).toEqual({ sessionId: SESSION, userId: USER });
    expect(await tokens.claimsOf(token)).toEqual({ sessionId: SESSION, userId: USER });
  });

  it('refuses a token whose signature was changed, though the genuine one was verified before', async () => {
    const token = await tokens.sign(SESSION, USER, inAMinute());
    await tokens.claimsOf(token);
    const [header, payload, signature] = token.split('.');
    const altered = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await tokens.claimsOf(altered)).toBeNull();
  });

  it('refuses a token signed with another secret, or by another issuer', async () => {
    const forged = await new SignJWT({ sid: SESSION })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(USER)
      .setIssuer('safeguard-conference')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));
    const otherIssuer = await new SignJWT({ sid: SESSION })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(USER)
      .setIssuer('someone-else')
      .setExpirationTime('1m')
      .sign(SECRET);
    expect(await tokens.claimsOf(forged)).toBeNull();
    expect(await tokens.claimsOf(otherIssuer)).toBeNull();
    expect(await tokens.claimsOf('not.a.token')).toBeNull();
  });

  it('refuses a token once it has expired, though it was verified while it was valid', async () => {
    const token = await tokens.sign(SESSION, USER, inAMinute());
    expect(await tokens.claimsOf(token)).not.toBeNull();
    // The clock alone is faked: the signature is checked on WebCrypto's threads, which timers do not drive.
    jest.useFakeTimers({ now: Date.now() + 120_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    expect(await tokens.claimsOf(token)).toBeNull();
    expect(await tokens.claimsOf(token)).toBeNull();
  });
});
