import { DataSource, DataSourceOptions, EntityMetadata, QueryRunner } from 'typeorm';
import { TestApp } from '../libs/testing/src';

/**
 * Migrations are written by hand; entities describe the same schema to TypeORM. If the two drift apart,
 * `npm run migration:generate` drafts a migration that undoes hand-written work (dropping foreign keys, indexes
 * and checks), and a developer's own change drowns in it. TypeORM compares constraints by name only and ignores an
 * index's column order and WHERE clause, so the checks it skips are made here against PostgreSQL itself.
 */
describe('the schema the migrations build', () => {
  let app: TestApp;
  /** Connected as the schema owner, as `npm run migration:generate` is. */
  let owner: DataSource;
  let runner: QueryRunner;

  beforeAll(async () => {
    app = await TestApp.start();
    const options = { ...app.dataSource.options, url: app.database.url } as DataSourceOptions;
    owner = await new DataSource(options).initialize();
    runner = owner.createQueryRunner();
  });
  afterAll(async () => {
    await runner?.release();
    await owner?.destroy();
    await app.stop();
  });

  /** Runs `work` in a transaction that is always rolled back, so probes leave nothing behind. */
  async function probing<T>(work: () => Promise<T>): Promise<T> {
    await runner.startTransaction();
    try {
      return await work();
    } finally {
      await runner.rollbackTransaction();
    }
  }

  const tables = () => owner.entityMetadatas.filter((metadata) => metadata.tableType === 'regular');

  it('is what the entities declare: migration:generate finds nothing to change', async () => {
    const sql = await owner.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has an entity for every table, so no table escapes the comparison', async () => {
    const rows: { name: string }[] = await owner.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(
      tables()
        .map((metadata) => metadata.tableName)
        .sort(),
    );
  });

  it('enforces every CHECK exactly as its entity states it', async () => {
    const differences = await probing(async () => {
      const found: string[] = [];
      for (const metadata of tables()) {
        // PostgreSQL normalises an expression (IN becomes = ANY, BETWEEN two comparisons): compare its own rendering
        // of the entity's expression, on a copy of the table, with that of the constraint the migrations created.
        await runner.query(`CREATE TEMP TABLE drift_probe (LIKE ${metadata.tableName}) ON COMMIT DROP`);
        for (const check of metadata.checks) {
          await runner.query(`ALTER TABLE drift_probe ADD CONSTRAINT drift_probe_check CHECK (${check.expression})`);
          const [row] = await runner.query(
            `SELECT (SELECT pg_get_constraintdef(oid) FROM pg_constraint
                      WHERE conrelid = 'drift_probe'::regclass AND conname = 'drift_probe_check') AS declared,
                    (SELECT pg_get_constraintdef(oid) FROM pg_constraint
                      WHERE conrelid = $1::regclass AND conname = $2) AS enforced`,
            [metadata.tableName, check.name],
          );
          if (row.declared !== row.enforced) found.push(`${check.name}: ${row.enforced} <> declared ${row.declared}`);
          await runner.query(`ALTER TABLE drift_probe DROP CONSTRAINT drift_probe_check`);
        }
        await runner.query(`DROP TABLE drift_probe`);
      }
      return found;
    });
    expect(differences).toEqual([]);
  });

  /** An index's definition from USING on (method, columns in order, predicate), without its name and table. */
  function definition(indexdef: string): string {
    return indexdef.slice(indexdef.indexOf(' USING '));
  }

  async function enforcedIndexes(): Promise<Map<string, { unique: boolean; definition: string }>> {
    // Indexes that back a constraint (primary keys, UNIQUE constraints) are compared by TypeORM as constraints.
    const rows: { name: string; unique: boolean; indexdef: string }[] = await owner.query(
      `SELECT i.relname AS name, x.indisunique AS unique, pg_get_indexdef(x.indexrelid) AS indexdef
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> 'schema_migration'
          AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    return new Map(rows.map((row) => [row.name, { unique: row.unique, definition: definition(row.indexdef) }]));
  }

  it('names every index it has in an entity, and has every index an entity names', async () => {
    const declared = tables().flatMap((metadata) => metadata.indices.map((index) => index.name));
    expect([...(await enforcedIndexes()).keys()].sort()).toEqual(declared.sort());
  });

  it('builds each index an entity models in full exactly as the entity states it (columns in order, WHERE)', async () => {
    const enforced = await enforcedIndexes();
    const differences = await probing(async () => {
      const found: string[] = [];
      for (const metadata of tables()) {
        await runner.query(`CREATE TEMP TABLE drift_probe (LIKE ${metadata.tableName}) ON COMMIT DROP`);
        for (const index of metadata.indices.filter((candidate) => candidate.synchronize)) {
          await runner.query(probeIndex(index));
          const [{ indexdef }] = await runner.query(
            `SELECT pg_get_indexdef('drift_probe_index'::regclass) AS indexdef`,
          );
          const declared = { unique: index.isUnique, definition: definition(indexdef) };
          const actual = enforced.get(index.name);
          if (JSON.stringify(actual) !== JSON.stringify(declared)) {
            found.push(`${index.name}: ${JSON.stringify(actual)} <> declared ${JSON.stringify(declared)}`);
          }
          await runner.query(`DROP INDEX drift_probe_index`);
        }
        await runner.query(`DROP TABLE drift_probe`);
      }
      return found;
    });
    expect(differences).toEqual([]);
  });
});

/** The index as TypeORM would create it, on the probe copy of its table. */
function probeIndex(index: EntityMetadata['indices'][number]): string {
  const columns = index.columns.map((column) => `"${column.databaseName}"`).join(', ');
  return (
    `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX drift_probe_index ON drift_probe ` +
    `USING ${index.type ?? 'btree'} (${columns})${index.where ? ` WHERE ${index.where}` : ''}`
  );
}
