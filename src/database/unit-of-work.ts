import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

type Hook = (manager: EntityManager) => Promise<void>;

/**
 * A request's resolvers run concurrently (DataLoaders of sibling fields dispatch in the same tick) but share the
 * request's one connection, which can run one statement at a time. node-postgres queues overlapping calls
 * itself only as deprecated behaviour (removed in pg 9), so statements on a unit's connection take turns here.
 */
function takeTurns(runner: QueryRunner, opensTransaction: (sql: string) => boolean): void {
  const query = runner.query.bind(runner);
  let previous: Promise<unknown> = Promise.resolve();
  let beginning = false;
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    // The BEGIN sent for the statement whose turn it is goes straight through: queued, it would wait for itself.
    if (beginning && args[0] === 'START TRANSACTION') return query(...args);
    const turn = previous.then(async () => {
      if (opensTransaction(args[0])) {
        beginning = true;
        try {
          await runner.startTransaction();
        } finally {
          beginning = false;
        }
      }
      return query(...args);
    });
    previous = turn.catch(() => undefined);
    return turn;
  }) as QueryRunner['query'];
}

/**
 * Whether a statement only reads, so that a read-only unit may send it outside a transaction: a SELECT (or WITH)
 * that neither modifies rows nor locks them. Anything else (a cursor, a lock, a write) opens the transaction
 * first; taking a read for a write only costs a BEGIN.
 */
function onlyReads(sql: string): boolean {
  // A leading comment (PLANNED_EACH_TIME) is not the statement.
  return /^\s*(\/\*.*?\*\/\s*)*(SELECT|WITH)\b/is.test(sql) && !/\b(INSERT|UPDATE|DELETE|MERGE|SHARE)\b/i.test(sql);
}

/**
 * One database transaction, opened on first use. Every write, and every read of child data together with its
 * audit, happens inside one of these, so an operation and its audit record commit or fail together.
 *
 * A GraphQL request owns exactly one (see graphql/request-context.ts); background work opens its own through
 * `Database.transaction`. Inside it, use only `manager()`: the embedded database has a single connection, so a
 * query made outside the open transaction would wait for it forever.
 */
export class UnitOfWork {
  private runner?: QueryRunner;
  private opening?: Promise<EntityManager>;
  private readonly beforeCommitHooks: Hook[] = [];
  private readonly afterEndHooks: Hook[] = [];
  private holdsLocks = false;
  private ended = false;
  private readOnly = false;
  /** Set while a read-only unit's single closing statement runs, which commits on its own. */
  private closing = false;

  constructor(private readonly dataSource: DataSource) {}

  manager(): Promise<EntityManager> {
    if (this.ended) return Promise.reject(new Error('unit of work already ended'));
    this.opening ??= (async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      try {
        if (!this.readOnly) await runner.startTransaction();
      } catch (error) {
        await runner.release();
        throw error;
      }
      takeTurns(runner, (sql) => this.readOnly && !this.closing && !runner.isTransactionActive && !onlyReads(sql));
      this.runner = runner;
      return runner.manager;
    })();
    return this.opening;
  }

  /**
   * For a request that, by its kind (a GraphQL query), reads and records only its audit: its reads go without
   * BEGIN, and the transaction opens only for a statement that does more than read. If none did, the one
   * statement of its beforeCommit work (the audit insert) commits on its own; more work than that gets a
   * transaction. Two round trips fewer per read, and nothing is lost: reads under READ COMMITTED take a snapshot
   * per statement inside a transaction too, and the audit insert still lands before the answer leaves.
   * Only before the transaction has been asked for.
   */
  readOnlyUntilWrite(): void {
    if (this.opening) throw new Error('unit of work already opened');
    this.readOnly = true;
  }

  /** Whether this unit serves a GraphQL query (`readOnlyUntilWrite`): nothing it does changes who may see what. */
  get readsOnly(): boolean {
    return this.readOnly;
  }

  /**
   * Work that must land in this transaction just before it commits (batched audit inserts). For a read-only unit
   * that never opened its transaction, a single hook's work must be one statement: it commits on its own.
   */
  beforeCommit(hook: Hook): void {
    this.beforeCommitHooks.push(hook);
  }

  /**
   * Work that must persist whatever happens to this transaction, such as a failed sign-in attempt that the
   * request itself answers with an error. It runs in its own transaction after this one ends, on the same
   * connection, before any lock taken with `holdUntilEnd` is let go.
   */
  afterEnd(hook: Hook): void {
    this.afterEndHooks.push(hook);
  }

  /**
   * Makes units holding the same key, on any replica, take turns from now until this unit's afterEnd work has
   * committed. A transaction-scoped lock would not do: it is let go when the transaction ends, so the next
   * holder could read before that work lands (parallel wrong passwords would each see no earlier failure).
   * The lock belongs to the database session, so it needs a connection that stays one session from the request
   * to its afterEnd work: a pooler in transaction mode (PgBouncer's `pool_mode = transaction`) would break it.
   */
  async holdUntilEnd(key: string): Promise<void> {
    const manager = await this.manager();
    this.holdsLocks = true;
    await manager.query(`SELECT pg_advisory_lock(hashtext($1))`, [key]);
  }

  /** Whether a transaction was ever asked for: false for a request refused before any resolver reached the database. */
  get opened(): boolean {
    return this.opening !== undefined;
  }

  /** Whether it has committed or rolled back; from then on no transaction can be opened through it. */
  get hasEnded(): boolean {
    return this.ended;
  }

  async commit(): Promise<void> {
    if (this.ended) throw new Error('unit of work already ended');
    try {
      const runner = await this.settledRunner();
      if (runner) {
        const hooks = this.beforeCommitHooks.splice(0);
        if (!runner.isTransactionActive && hooks.length > 1) await runner.startTransaction();
        this.closing = !runner.isTransactionActive;
        for (const hook of hooks) await hook(runner.manager);
        if (runner.isTransactionActive) await runner.commitTransaction();
      }
    } catch (error) {
      await this.rollback();
      throw error;
    }
    await this.end();
  }

  /** Safe to call at any point and more than once: whatever happens, the unit has ended when it returns or throws. */
  async rollback(): Promise<void> {
    try {
      const runner = await this.settledRunner();
      if (runner?.isTransactionActive) await runner.rollbackTransaction();
    } finally {
      await this.end();
    }
  }

  /**
   * The connection once any transaction still opening has opened (undefined if none was asked for, or it could
   * not open), so ending a unit whose first statement is on its way never releases an open transaction to the pool.
   */
  private async settledRunner(): Promise<QueryRunner | undefined> {
    await this.opening?.catch(() => undefined);
    return this.runner;
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const runner = await this.settledRunner();
    const hooks = this.afterEndHooks.splice(0);
    if (!runner) {
      if (hooks.length > 0) await this.dataSource.transaction((manager) => runEach(hooks, manager));
      return;
    }
    try {
      if (hooks.length > 0) await runInTransaction(runner, hooks);
    } finally {
      // Session-level locks outlive transactions: none may stay behind on a pooled connection.
      try {
        if (this.holdsLocks) await runner.query(`SELECT pg_advisory_unlock_all()`);
      } finally {
        await runner.release();
      }
    }
  }
}

async function runEach(hooks: Hook[], manager: EntityManager): Promise<void> {
  for (const hook of hooks) await hook(manager);
}

async function runInTransaction(runner: QueryRunner, hooks: Hook[]): Promise<void> {
  await runner.startTransaction();
  try {
    await runEach(hooks, runner.manager);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  }
}
