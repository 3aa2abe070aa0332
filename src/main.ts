import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { exitOnConfigError, loadConfig, loadOrExit } from './config/config';
import { createHttpAdapter } from './http-adapter';
import { createLogger, PinoLoggerService } from './logging/logger';

async function bootstrap(): Promise<void> {
  const config = loadOrExit(() => loadConfig());
  const logger = createLogger(config);
  const adapter = createHttpAdapter(logger, config.trustProxy);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
      logger: new PinoLoggerService(logger),
      abortOnError: false,
    });
    // On SIGTERM: stop accepting connections, finish the requests in flight, then close the database.
    app.enableShutdownHooks();
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    exitOnConfigError(error);
    // Nest has logged the cause with its stack if it arose while starting modules; this line always says why.
    logger.fatal(`the service could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

void bootstrap();
