import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module';
import { AppConfig, loadConfig } from '../../../src/config/config';
import { Factories } from './factories';
import { GraphQLClient } from './graphql-client';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestAppOptions {
  /** Extra environment, e.g. BOOTSTRAP_ADMIN_EMAIL; NODE_ENV defaults to test. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The real application on its own fresh PostgreSQL database, listening on a free port. One per test file:
 * `const app = await TestApp.start()` in beforeAll, `await app.stop()` in afterAll.
 */
export class TestApp {
  private constructor(
    readonly nest: INestApplication,
    readonly config: AppConfig,
    readonly database: TestDatabase,
    readonly baseUrl: string,
    readonly factories: Factories,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      ...options.env,
    });
    const nest = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
      logger: process.env.TEST_LOGS ? undefined : false,
    });
    try {
      await nest.listen(0, '127.0.0.1');
    } catch (error) {
      await nest.close().catch(() => undefined);
      await database.drop();
      throw error;
    }
    const address = nest.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const factories = new Factories(nest.get(DataSource), nest, baseUrl);
    return new TestApp(nest, config, database, baseUrl, factories);
  }

  /** A client with no sign-in. */
  anonymous(): GraphQLClient {
    return new GraphQLClient(this.baseUrl);
  }

  /** The app's own connection, for arranging data and checking what was (not) written. */
  get dataSource(): DataSource {
    return this.nest.get(DataSource);
  }

  async stop(): Promise<void> {
    await this.nest.close();
    await this.database.drop();
  }
}
