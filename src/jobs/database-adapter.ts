import type { Db } from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import type { Database } from '../database/database.service';
import type { UnitOfWork } from '../database/unit-of-work';

type Rows = { rows: any[] };
type Queryable = { query(text: string, values?: unknown[]): Promise<Rows | Rows[]> };

/**
 * A statement of several (pg-boss's multi-statement maintenance, sent without parameters) answers one result per
 * statement; its rows are theirs together, as pg-boss's own pool reads them.
 */
function rowsOf(result: Rows | Rows[]): Rows {
  return Array.isArray(result) ? { rows: result.flatMap((part) => part.rows ?? []) } : { rows: result.rows ?? [] };
}

/**
 * pg-boss's statements inside a transaction (a job sent with the write it follows from), taking their turn on its
 * connection with the transaction's own.
 */
export class ManagerDb implements Db {
  constructor(private readonly manager: EntityManager) {}

  async executeSql(text: string, values?: unknown[]): Promise<Rows> {
    const runner = this.manager.queryRunner;
    if (!runner) throw new Error('a unit of work always has its query runner');
    // Structured: TypeORM otherwise answers an UPDATE as [rows, count].
    const result = await runner.query(text, values, true);
    return { rows: result.records ?? [] };
  }
}

/** A job handler's transaction: a unit of work, which the handler's scope carries. */
class UnitOfWorkDb extends ManagerDb {
  constructor(
    readonly unit: UnitOfWork,
    manager: EntityManager,
  ) {
    super(manager);
  }
}

/**
 * pg-boss on the application's own DataSource (pg-boss's custom `db`), so it runs as the application's role with
 * its session limits, and on the embedded database through its one connection: a statement of pg-boss's waits
 * its turn behind an open transaction instead of opening a connection the embedded database does not have.
 * Transactions are units of work, so a job's handler writes, is audited and completes its job in one commit.
 */
export class DataSourceDb implements Db {
  constructor(
    private readonly dataSource: DataSource,
    private readonly database: Database,
  ) {}

  async executeSql(text: string, values?: unknown[]): Promise<Rows> {
    const pool = (this.dataSource.driver as unknown as { master: Queryable }).master;
    return rowsOf(await pool.query(text, values));
  }

  async beginTransaction() {
    const unit = this.database.unitOfWork();
    const db = new UnitOfWorkDb(unit, await unit.manager());
    return {
      db,
      commit: () => unit.commit(),
      rollback: () => unit.rollback().catch(() => undefined),
    };
  }
}

/** The unit of work a transactional handler's `tx` is, as `DataSourceDb.beginTransaction` made it. */
export function unitOfWorkOf(tx: Db): UnitOfWork {
  if (!(tx instanceof UnitOfWorkDb)) throw new Error('a job handler runs in a unit of work of DataSourceDb');
  return tx.unit;
}
