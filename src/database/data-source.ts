// The TypeORM CLI's entry (`npm run migration:*`): the same definition the app uses, connected as the owner.
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../config/config';
import { openDatabase } from './data-source-options';

export const dataSource = openDatabase(loadDatabaseConfig(), 'migrations', [
  join(__dirname, '..', '**', '*.entity.js'),
]).then(({ options }) => new DataSource(options));
