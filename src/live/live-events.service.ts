import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter, on } from 'node:events';
import { Database } from '../database/database.service';
import { isUuid } from '../database/postgres';

/** The channel the database signals (migrations/1763802100000-LiveEvents.ts). */
const CHANNEL = 'safeguard_live';

/** A conference, or something belonging to it, changed: who may still see it reads it afresh. */
export interface ConferenceChanged {
  conferenceId: string;
}

/** A notification was added for a person: they read it afresh, as their own. */
export interface NotificationAdded {
  notificationId: string;
  userId: string;
}

const log = new Logger('LiveEvents');

/**
 * What committed transactions signalled, heard by every replica (DESIGN §8). Writes signal from inside their
 * transaction (database triggers issue `pg_notify`), so PostgreSQL delivers a signal to each replica's listening
 * connection only once the write has committed. PostgreSQL, not Redis: the signal is part of the transaction
 * that made the change (no event for a rolled-back write, none lost between commit and publish), and the service
 * keeps one dependency. On the embedded database, PGlite's own listen() hears the same triggers in its one
 * process.
 *
 * A signal carries ids only, never child data: a subscriber is told what to read, and reads it through access.
 */
@Injectable()
export class LiveEvents implements OnModuleInit, OnModuleDestroy {
  private readonly heard = new EventEmitter().setMaxListeners(0);
  private stopListening?: () => Promise<void>;

  constructor(private readonly database: Database) {}

  async onModuleInit(): Promise<void> {
    this.stopListening = await this.database.listen(CHANNEL, (payload) => this.dispatch(payload));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
  }

  /** Each change to the conference from now on, until the iterator is returned. */
  conferenceChanges(conferenceId: string): AsyncIterableIterator<ConferenceChanged> {
    return this.events<ConferenceChanged>(`conference:${conferenceId}`);
  }

  /** Each notification added for the person from now on, until the iterator is returned. */
  notificationsFor(userId: string): AsyncIterableIterator<NotificationAdded> {
    return this.events<NotificationAdded>(`notification:${userId}`);
  }

  private events<T>(name: string): AsyncIterableIterator<T> {
    const source = on(this.heard, name);
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        const next = await source.next();
        return next.done ? { done: true, value: undefined } : { done: false, value: (next.value as [T])[0] };
      },
      return: async () => {
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private dispatch(payload: string): void {
    let signal: Partial<ConferenceChanged & NotificationAdded>;
    try {
      signal = JSON.parse(payload) as Partial<ConferenceChanged & NotificationAdded>;
    } catch {
      log.warn('a signal that is not JSON was ignored');
      return;
    }
    const { conferenceId, notificationId, userId } = signal;
    if (conferenceId && isUuid(conferenceId)) {
      this.heard.emit(`conference:${conferenceId}`, { conferenceId } satisfies ConferenceChanged);
    } else if (notificationId && userId && isUuid(notificationId) && isUuid(userId)) {
      this.heard.emit(`notification:${userId}`, { notificationId, userId } satisfies NotificationAdded);
    }
  }
}
