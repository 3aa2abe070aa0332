import type { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { AppConfig } from '../config/config';
import { currentRequest } from './request-scope';

/** The path of a request URL: a GET /graphql carries the query and its variables in the query string. */
export function pathOf(url: string | undefined): string | undefined {
  return url?.split('?', 1)[0];
}

/**
 * What a log line may say about an error. A database error carries its SQL parameters and a `detail` such as
 * `Key (email)=(...) already exists`: personal data that must not reach the logs.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code } = error as { code?: unknown };
  return { type: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * Development only: the same lines, readable in a terminal (the demo dataset's sign-in notice spans several
 * lines). Production keeps one JSON object per line for the log collector.
 */
export function readableLines(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      const { level, time, msg, context, requestId, req, res, err } = JSON.parse(line);
      const parts = [String(time).slice(11, 19), LEVELS[level] ?? level];
      if (context) parts.push(`[${context}]`);
      if (req) parts.push(`${req.method} ${req.path}`);
      if (res) parts.push(`-> ${res.statusCode}`);
      if (requestId) parts.push(`(${requestId})`);
      if (msg) parts.push(msg);
      out.write(`${parts.join(' ')}${err?.stack ? `\n${err.stack}` : ''}\n`);
    },
  };
}

/**
 * Structured JSON logs. A line never carries request bodies, query strings, headers or client addresses: only
 * the method, the path, the status and the request id to correlate with.
 */
export function createLogger(
  config: Pick<AppConfig, 'logLevel'> & Partial<Pick<AppConfig, 'env'>>,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { service: 'safeguard-conference' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (request: { method?: string; url?: string }) => ({ method: request.method, path: pathOf(request.url) }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: serializeError,
    },
  };
  if (destination) return pino(options, destination);
  return config.env === 'development' ? pino(options, readableLines(process.stdout)) : pino(options);
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger interface on pino. Nest passes the logger's context as the last string argument; a first
 * argument that is an object becomes the line's fields (`log.error({ requestId, err }, 'internal error')`).
 * A line written while a request is being served carries that request's id (Fastify's own request lines
 * already do, through their child logger).
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const strings = rest.filter((part): part is string => typeof part === 'string');
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? strings.pop() : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(fields, message);
      text = strings.shift();
    } else {
      text = String(message);
    }
    // Nest's ExceptionsHandler passes a stack as the second argument.
    if (strings.length > 0) fields.detail = strings.join('\n');
    const request = currentRequest();
    if (request && fields.requestId === undefined) fields.requestId = request.requestId;
    this.pino[level](fields, text);
  }
}
