import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Job, PgBoss, Queue } from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import type { UnitOfWork } from '../database/unit-of-work';
import { DataSourceDb, ManagerDb, unitOfWorkOf } from './database-adapter';

/** The schema the migration JobQueue built. */
const SCHEMA = 'pgboss';

/** How long stopping waits for the jobs in hand to finish before it abandons them (they run again elsewhere). */
const STOP_GRACE_MS = 10_000;

const log = new Logger('JobQueue');

/**
 * One job at a time, in a transaction that commits with its completion. Without pg-boss's own bound on that
 * transaction: it would set a session timeout, which hangs the embedded database's one session
 * (data-source-options.ts), and the application's sessions carry their own limits already.
 */
const WORK_OPTIONS = { batchSize: 1, transactional: true, transactionTimeoutSeconds: 0 } as const;

/** A job to send: its id names what it is about, so sending it again (a sweep, a retry) adds nothing. */
export interface JobToSend<T extends object> {
  id: string;
  data: T;
  startAfter: Date;
}

/**
 * The durable job queue (pg-boss, DESIGN §3 and §8) on the application's database: jobs survive a restart, and
 * each one is claimed by one worker whichever replica it runs on (SKIP LOCKED). It starts with its schema
 * migrations off, as the schema is the owner's (migration JobQueue), and without the upkeep that needs the
 * owner (rebuilding indexes). A job is sent in the unit of work of the write it follows from, so it exists only if
 * that write commits; it runs in a unit of work of its own, committed together with the job's completion, so its
 * effects happen once or not at all.
 */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly boss: PgBoss;

  constructor(
    dataSource: DataSource,
    database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const works = config.jobWorkers;
    this.boss = new PgBoss({
      db: new DataSourceDb(dataSource, database),
      schema: SCHEMA,
      backend: config.databaseUrl ? 'postgres' : 'pglite',
      migrate: false,
      createSchema: false,
      reindex: false,
      // Upkeep and cron belong to the replicas that work the queue.
      supervise: works,
      schedule: works,
    });
    this.boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the DataSource it runs on is destroyed (DatabaseModule, at application shutdown).
    await this.boss.stop({ graceful: true, timeout: STOP_GRACE_MS, close: false });
  }

  /** Creates the queue if it does not exist yet; its options hold for the jobs sent to it. */
  async define(name: string, options: Omit<Queue, 'name'>): Promise<void> {
    await this.boss.createQueue(name, options);
  }

  /** Sends jobs in the caller's transaction; one already sent with the same id is left as it is. */
  async send<T extends object>(
    manager: EntityManager,
    queue: string,
    jobs: ReadonlyArray<JobToSend<T>>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      queue,
      jobs.map((job) => ({ id: job.id, data: job.data, startAfter: job.startAfter })),
      { db: new ManagerDb(manager) },
    );
  }

  /**
   * Works the queue's jobs one at a time, each in a unit of work of its own that commits with the job's
   * completion; a handler that throws rolls it back and the job is retried. Nothing on a replica that only serves.
   */
  async work<T extends object>(
    queue: string,
    handler: (job: Job<T>, unit: UnitOfWork) => Promise<void>,
  ): Promise<void> {
    if (!this.config.jobWorkers) return;
    await this.boss.work<T, void, typeof WORK_OPTIONS>(queue, WORK_OPTIONS, async ([job], tx) =>
      handler(job, unitOfWorkOf(tx)),
    );
  }

  /** Sends a job to `queue` on the cron expression, in England and Wales time, from whichever replica's turn it is. */
  async every(queue: string, cron: string): Promise<void> {
    if (!this.config.jobWorkers) return;
    await this.boss.schedule(queue, cron, null, { tz: 'Europe/London' });
  }

  /** Sends one job to `queue` now, from a replica that works the queue (the sweep it runs as it starts). */
  async sendNow(queue: string): Promise<void> {
    if (!this.config.jobWorkers) return;
    await this.boss.send(queue, null);
  }
}
