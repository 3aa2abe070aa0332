import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Operation } from './operations';

/** What one phase of load measured: latencies in ms, from every response (autocannon's histogram has no p95). */
export interface Phase {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** The q-quantile of ascending `sorted` by the nearest-rank method; NaN when there is nothing to rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function phaseOf(latencies: number[], errors: number, seconds: number): Phase {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
  };
}

const headersOf = (operation: Operation): Record<string, string> => ({
  'content-type': 'application/json',
  ...(operation.token ? { authorization: `Bearer ${operation.token}` } : {}),
});
const pathOf = (operation: Operation): string => (operation.target === 'service' ? '/graphql' : '/');
/** A response is an error unless it is HTTP 200 without GraphQL errors. */
const failed = (status: number, body: string): boolean => status !== 200 || body.includes('"errors"');

/**
 * Throughput: drives `operation` at `url` for `seconds` in a closed loop on `connections` (each sends its next
 * request as soon as its last is answered).
 */
export async function drive(
  url: string,
  operation: Operation,
  options: { connections: number; seconds: number },
): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.seconds,
        requests: [
          {
            method: 'POST',
            path: pathOf(operation),
            headers: headersOf(operation),
            setupRequest: (request) => ({ ...request, body: operation.body() }),
            onResponse: (status, body) => {
              if (failed(status, body)) errors += 1;
            },
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await done;
  return phaseOf(latencies, errors + result.errors + result.timeouts, options.seconds);
}

/**
 * Latency at a steady offered rate: request i is due at i / `rate` seconds, whatever became of the ones before
 * (an open loop), on at most `connections` keep-alive connections, and its latency is taken from when it was
 * due, not from when a connection was free to send it. So a service that falls behind is charged for the
 * queue it builds (no coordinated omission), and the arrivals are as even as the timer allows. autocannon's
 * `overallRate` cannot do this: it lets each connection send its share of a second back to back and then
 * wait, so 50 connections deliver a second's requests as one burst. The phase ends when every request is
 * answered, so a backlog does not spill into the next phase; one still unanswered `graceSeconds` after the last
 * was due counts as an error, with its wait so far as its latency.
 */
export async function pace(
  url: string,
  operation: Operation,
  options: { connections: number; seconds: number; rate: number; graceSeconds?: number },
): Promise<Phase> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  /** When each unanswered request was due. */
  const pending = new Set<number>();
  let allAnswered!: () => void;
  const finished = new Promise<void>((resolve) => (allAnswered = resolve));
  const settle = (due: number): void => {
    pending.delete(due);
    if (sent === total && pending.size === 0) allAnswered();
  };
  const send = (due: number): void => {
    pending.add(due);
    const body = operation.body();
    const outgoing = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: pathOf(operation),
        headers: { ...headersOf(operation), 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          latencies.push(performance.now() - due);
          if (failed(response.statusCode ?? 0, Buffer.concat(chunks).toString())) errors += 1;
          settle(due);
        });
      },
    );
    outgoing.on('error', () => {
      errors += 1;
      settle(due);
    });
    outgoing.end(body);
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent === total) resolve();
      else setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, (options.graceSeconds ?? 60) * 1000)));
  await Promise.race([finished, grace]);
  clearTimeout(timer);
  const end = performance.now();
  for (const due of pending) latencies.push(end - due);
  agent.destroy();
  return phaseOf(latencies, errors + pending.size, options.seconds);
}
