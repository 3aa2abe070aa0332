import autocannon from 'autocannon';
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

/**
 * Drives `operation` at `url` for `seconds`: closed loop on `connections` when `rate` is undefined, else at a
 * fixed arrival rate of `rate` requests a second overall. A response is an error unless it is HTTP 200 without
 * GraphQL errors.
 */
export async function drive(
  url: string,
  operation: Operation,
  options: { connections: number; seconds: number; rate?: number },
): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (operation.token) headers.authorization = `Bearer ${operation.token}`;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.rate,
        requests: [
          {
            method: 'POST',
            path: operation.target === 'service' ? '/graphql' : '/',
            headers,
            setupRequest: (request) => ({ ...request, body: operation.body() }),
            onResponse: (status, body) => {
              if (status !== 200 || body.includes('"errors"')) errors += 1;
            },
          },
        ],
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors: errors + result.errors + result.timeouts,
    perSecond: latencies.length / options.seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
  };
}
