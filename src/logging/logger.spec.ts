import { Writable } from 'node:stream';
import { createLogger, pathOf, PinoLoggerService, readableLines } from './logger';

/** A logger writing to memory, and the lines it wrote. */
function capture(level = 'trace') {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ logLevel: level }, sink), lines };
}

describe('the logger', () => {
  it('knows a request only by its path: the query string may carry a query and its variables', () => {
    expect(pathOf('/graphql?query=%7Bme%7D&variables=%7B%22email%22%3A%22x%40y%22%7D')).toBe('/graphql');
    expect(pathOf('/health/ready')).toBe('/health/ready');
    const { logger, lines } = capture();
    logger.info({ req: { method: 'GET', url: '/graphql?variables=secret', headers: { authorization: 'Bearer t' } } });
    expect(lines[0].req).toEqual({ method: 'GET', path: '/graphql' });
  });

  it('writes an error without the SQL parameters or detail a database error carries', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('duplicate key value violates unique constraint "app_user_email_key"'), {
      code: '23505',
      parameters: ['someone@example.org'],
      detail: 'Key (email)=(someone@example.org) already exists.',
    });
    logger.error({ err: error }, 'internal error');
    expect(lines[0].err).toEqual({ type: 'Error', message: error.message, code: '23505', stack: error.stack });
    expect(JSON.stringify(lines[0])).not.toContain('someone@example.org');
  });

  it('respects its level', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('the readable lines of development', () => {
  it('show time, level, context, request and message, and an error with its stack', () => {
    let text = '';
    const logger = createLogger({ logLevel: 'info' }, readableLines({ write: (chunk: string) => (text += chunk) }));
    logger.info({ context: 'Demo' }, 'seeded\nsign in as dsl@academy.demo');
    logger.info({ requestId: 'r-1', req: { method: 'GET', url: '/graphql?query=x' } }, 'incoming request');
    logger.error({ err: new Error('boom') }, 'internal error');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO \[Demo\] seeded$/);
    expect(lines[1]).toBe('sign in as dsl@academy.demo');
    expect(lines[2]).toMatch(/ INFO GET \/graphql \(r-1\) incoming request$/);
    expect(lines[3]).toMatch(/ ERROR internal error$/);
    expect(lines[4]).toBe('Error: boom');
  });
});

describe('Nest on pino', () => {
  it("turns Nest's (message, context) into a line with that context", () => {
    const { logger, lines } = capture();
    new PinoLoggerService(logger).log('Nest application successfully started', 'NestApplication');
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'Nest application successfully started',
      context: 'NestApplication',
    });
  });

  it('takes a first argument that is an object as the fields of the line', () => {
    const { logger, lines } = capture();
    new PinoLoggerService(logger).error({ requestId: 'r-1', path: 'me' }, 'internal error', 'GraphQL');
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'internal error',
      requestId: 'r-1',
      path: 'me',
      context: 'GraphQL',
    });
  });

  it('keeps the stack Nest passes beside an error message', () => {
    const { logger, lines } = capture();
    new PinoLoggerService(logger).error('boom', 'Error: boom\n    at somewhere', 'ExceptionHandler');
    expect(lines[0]).toMatchObject({
      msg: 'boom',
      detail: 'Error: boom\n    at somewhere',
      context: 'ExceptionHandler',
    });
  });

  it('maps verbose to trace and honours the level', () => {
    const { logger, lines } = capture('debug');
    const nest = new PinoLoggerService(logger);
    nest.verbose('too detailed', 'X');
    nest.debug('detailed', 'X');
    expect(lines.map((line) => line.msg)).toEqual(['detailed']);
  });
});
