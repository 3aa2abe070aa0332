// `npm run demo:seed`: seeds the fictional demo dataset into the configured database (even when DATABASE_URL is
// set, which never seeds by itself), prints how to sign in, and exits.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { ConfigError, DEMO_IN_PRODUCTION, loadConfig } from '../config/config';

async function seed(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(), seedDemo: true };
    if (config.env === 'production') throw new ConfigError(DEMO_IN_PRODUCTION);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter());
  await app.init();
  await app.close();
}

void seed();
