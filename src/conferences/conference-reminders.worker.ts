import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { systemScope } from '../access/system-actor';
import { JobQueue } from '../jobs/job-queue';
import { ACTION_OVERDUE_QUEUE, DEADLINE_APPROACHING_QUEUE, REMINDERS_SWEEP_QUEUE } from './conference-reminders';
import { ConferencesService } from './conferences.service';

/**
 * A reminder's job is kept once done (deleteAfterSeconds 0): its id is the record that the reminder went, so a
 * sweep that finds the subject still open sends nothing again.
 */
const KEPT_WHEN_DONE = { deleteAfterSeconds: 0 };

/** Hourly: what is open and was never scheduled is reminded within the hour it falls due. */
const SWEEP_CRON = '0 * * * *';

/**
 * Works the reminder queues as the `reminders` system actor (src/access/system-actor.ts), through the same
 * service the resolvers use: each job reads the conference or action afresh and reminds only what is still open.
 */
@Injectable()
export class ConferenceRemindersWorker implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobQueue,
    private readonly conferences: ConferencesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.define(DEADLINE_APPROACHING_QUEUE, KEPT_WHEN_DONE);
    await this.jobs.define(ACTION_OVERDUE_QUEUE, KEPT_WHEN_DONE);
    await this.jobs.define(REMINDERS_SWEEP_QUEUE, {});
    await this.jobs.work<{ conferenceId: string }>(DEADLINE_APPROACHING_QUEUE, (job, unit) =>
      this.conferences.remindDeadline(systemScope('reminders', unit, job.id), job.data.conferenceId),
    );
    await this.jobs.work<{ actionId: string }>(ACTION_OVERDUE_QUEUE, (job, unit) =>
      this.conferences.remindOverdue(systemScope('reminders', unit, job.id), job.data.actionId),
    );
    await this.jobs.work(REMINDERS_SWEEP_QUEUE, (job, unit) =>
      this.conferences.sweepReminders(systemScope('reminders', unit, job.id)),
    );
    await this.jobs.every(REMINDERS_SWEEP_QUEUE, SWEEP_CRON);
    await this.jobs.sendNow(REMINDERS_SWEEP_QUEUE);
  }
}
