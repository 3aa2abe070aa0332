import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Listen } from './listener';
import { UnitOfWork } from './unit-of-work';

/** The one way to open a transaction, and to hear what committed transactions signalled. */
@Injectable()
export class Database {
  constructor(
    readonly dataSource: DataSource,
    /** LISTEN for a channel's NOTIFY payloads, each heard once its transaction has committed. */
    readonly listen: Listen,
  ) {}

  unitOfWork(): UnitOfWork {
    return new UnitOfWork(this.dataSource);
  }

  /** Runs `work` in a fresh unit of work: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (manager: EntityManager, unit: UnitOfWork) => Promise<T>): Promise<T> {
    const unit = this.unitOfWork();
    let result: T;
    try {
      result = await work(await unit.manager(), unit);
    } catch (error) {
      await unit.rollback();
      throw error;
    }
    await unit.commit();
    return result;
  }

  async isReady(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
