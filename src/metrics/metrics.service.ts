import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A GraphQL request's label when it names no operation. */
export const ANONYMOUS = '(anonymous)';
/** The label of every operation name beyond the cap, or not shaped like a GraphQL name. */
export const OTHER = '(other)';
/**
 * Operation names are chosen by clients, and every distinct label is a time series the scraper keeps: only the
 * first names seen get a label of their own. Far more than the operations the service's clients send.
 */
export const MAX_OPERATION_NAMES = 100;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The service's Prometheus metrics: GraphQL requests by operation and outcome, the database pool, audit writes,
 * and Node's own (memory, event loop, GC). Nothing here names a record, a person or a client: labels are
 * operation names, error codes and pool states only.
 */
@Injectable()
export class Metrics {
  /** Each app has its own: two apps in one process (tests) must not share or clash over series. */
  readonly registry = new Registry();

  readonly graphqlRequests = new Counter({
    name: 'safeguard_graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (OK, or the code of the first error)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'safeguard_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its answer sent, commit and audit included',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly auditWriteDuration = new Histogram({
    name: 'safeguard_audit_write_duration_seconds',
    help: "Time of one request's audit insert, in which the chain lock is taken and held until commit",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  private readonly operationNames = new Set<string>();
  private namesCapped = false;
  private readonly log = new Logger('Metrics');

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    // Read when scraped, from the pool itself. The embedded database's pool has one connection.
    const pool = () => (dataSource.driver as PostgresDriver).master as Pool | undefined;
    const poolGauge = (name: string, help: string, read: (pool: Pool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const current = pool();
          if (current) this.set(read(current));
        },
      });
    poolGauge('safeguard_db_pool_max_connections', 'Connections the pool may open (DATABASE_POOL_SIZE)', (p) =>
      Number(p.options.max),
    );
    poolGauge('safeguard_db_pool_open_connections', 'Connections the pool holds open', (p) => p.totalCount);
    poolGauge('safeguard_db_pool_in_use_connections', 'Connections lent out', (p) => p.totalCount - p.idleCount);
    poolGauge('safeguard_db_pool_waiting_clients', 'Requests waiting for a connection', (p) => p.waitingCount);
  }

  /** The label for a client-chosen operation name, keeping the number of distinct labels bounded. */
  operationLabel(name: unknown): string {
    if (typeof name !== 'string' || name === '') return ANONYMOUS;
    if (this.operationNames.has(name)) return name;
    if (!OPERATION_NAME.test(name)) return OTHER;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) {
      if (!this.namesCapped) {
        // Said once, so an operator who sees "(other)" grow knows why; the name itself is the client's.
        this.log.warn(`more than ${MAX_OPERATION_NAMES} operation names: further ones are counted as ${OTHER}`);
        this.namesCapped = true;
      }
      return OTHER;
    }
    this.operationNames.add(name);
    return name;
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
