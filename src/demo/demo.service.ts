import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import { seedDemoChildren } from './demo-children';
import { seedDemoChronology } from './demo-chronology';
import { seedDemoRequests } from './demo-requests';
import { seedDemoConferences } from './demo-conferences';
import { seedDemoNonPunishment } from './demo-non-punishment';
import {
  DEMO_AGENCIES,
  DEMO_LOCAL_AUTHORITY,
  DEMO_PASSWORD,
  DEMO_PLATFORM_ADMIN,
  demoEmail,
  seedDemoPeople,
} from './demo-people';

/**
 * The fictional Northbridge demo dataset (reference/demo-story.md). Seeded at start only when config.seedDemo
 * is on (the embedded database by default, or `npm run demo:seed`), never onto a real server by accident.
 * Every row is marked demo, and every start prints that the data is fictional and how to sign in.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly log = new Logger('Demo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: Database,
    private readonly passwords: PasswordService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) {
      const seeded = await this.database.transaction((manager) => this.seed(manager));
      if (seeded) this.log.log('seeded the Northbridge demo dataset');
    } else if (!(await this.database.transaction(hasDemoData))) {
      return;
    }
    // Said at every start, seeded now or earlier (`npm run demo:seed`), so nobody mistakes it for real data.
    this.log.log(this.notice());
  }

  /**
   * Seeds once: false when demo agencies already exist. Replicas starting together serialise on a lock. Later
   * chapters of the story (children, concerns, conferences) are seeded here too, from the ids seedDemoPeople returns.
   */
  async seed(manager: EntityManager): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('demo-seed'))`);
    if (await hasDemoData(manager)) return false;
    const people = await seedDemoPeople(manager, await this.passwords.hash(DEMO_PASSWORD));
    const children = await seedDemoChildren(manager, people);
    await seedDemoChronology(manager, people, children);
    await seedDemoRequests(manager, people, children);
    await seedDemoConferences(manager, people, children);
    await seedDemoNonPunishment(manager, people, children);
    return true;
  }

  private notice(): string {
    const agencies = DEMO_AGENCIES.map(
      (agency) => `  ${agency.name}: ${agency.people.map((person) => demoEmail(agency, person)).join(', ')}`,
    );
    return [
      '',
      '==================================== DEMO DATA ====================================',
      `This database holds the FICTIONAL ${DEMO_LOCAL_AUTHORITY} demo dataset (rows marked demo = true).`,
      'Never record a real child here.',
      `Every demo person's password: ${DEMO_PASSWORD}`,
      `  Platform admin: ${DEMO_PLATFORM_ADMIN}`,
      ...agencies,
      `The pages: http://localhost:${this.config.port}/ (sign in as dsl@academy.demo to find Kai Thompson)`,
      this.config.env === 'development'
        ? `The API: sign in in GraphiQL at http://localhost:${this.config.port}/graphiql, or POST to /graphql, with`
        : `The API: POST http://localhost:${this.config.port}/graphql with`,
      `  mutation { login(email: "dsl@academy.demo", password: "${DEMO_PASSWORD}") { token session { agency { name } roles } } }`,
      'then send the token as the header  Authorization: Bearer <token>',
      '===================================================================================',
    ].join('\n');
  }
}

async function hasDemoData(manager: EntityManager): Promise<boolean> {
  const [row] = await manager.query(`SELECT 1 FROM agency WHERE demo LIMIT 1`);
  return Boolean(row);
}
