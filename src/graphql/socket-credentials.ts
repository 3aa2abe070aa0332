import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** Reads the bearer authorization a WebSocket upgrade request proves, or undefined when it proves none. */
export type UpgradeCredentialReader = (request: IncomingMessage) => string | undefined;

/**
 * Where a live-update socket may prove its sign-in other than by `connectionParams.authorization`: the pages
 * (src/web) register how their session cookie proves one, so a script in the browser, which cannot read that
 * HttpOnly cookie, still subscribes as the signed-in person. Registered, not imported: the GraphQL layer knows
 * nothing of the pages, which depend on it.
 */
@Injectable()
export class SocketCredentials {
  private readonly readers: UpgradeCredentialReader[] = [];

  accept(reader: UpgradeCredentialReader): void {
    this.readers.push(reader);
  }

  authorizationOf(request: IncomingMessage): string | undefined {
    for (const reader of this.readers) {
      const authorization = reader(request);
      if (authorization) return authorization;
    }
    return undefined;
  }
}
