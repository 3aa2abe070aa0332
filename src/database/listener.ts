import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** Hears one channel's NOTIFY payloads until the returned function stops it. */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

/** How long to wait before connecting again once the listening connection is lost. */
const RECONNECT_MS = 1000;

const log = new Logger('DatabaseListener');

/**
 * LISTEN on a connection of its own, outside the pool: it stays one session for as long as the process listens,
 * and holds no transaction, so it costs the server one idle backend per replica. A lost connection is made
 * again; what was signalled meanwhile is not heard (what it announced persists and reads back as usual).
 */
export function listenOnServer(url: string, applicationName: string): Listen {
  return async (channel, onPayload) => {
    let client: Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;

    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString: url, application_name: applicationName });
      next.on('notification', (message) => {
        if (message.channel === channel && message.payload) onPayload(message.payload);
      });
      next.on('error', (error) => {
        log.warn({ err: error }, 'listening connection lost; connecting again');
        next.end().catch(() => undefined);
        if (client === next) client = undefined;
        schedule();
      });
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
      if (stopped) {
        await next.end();
        return;
      }
      client = next;
    };
    const schedule = (): void => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        connect().catch((error: unknown) => {
          log.warn({ err: error }, 'listening connection failed; trying again');
          schedule();
        });
      }, RECONNECT_MS);
    };

    await connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
