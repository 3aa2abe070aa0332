import { PLANNED_EACH_TIME, PreparingClient } from '../src/database/preparing-client';
import { TEST_SERVER_URL } from '../libs/testing/src/test-database';

/**
 * The app's connections prepare each parameterised statement once and then only execute it (issue 14): seen
 * from the server, in the session's own pg_prepared_statements, with how often each was run.
 */
describe('the connection that prepares its statements', () => {
  let client: PreparingClient;

  beforeEach(async () => {
    client = new PreparingClient({ connectionString: TEST_SERVER_URL });
    await client.connect();
  });
  afterEach(() => client.end());

  const prepared = async () =>
    (
      await client.query<{ statement: string; runs: number }>(
        `SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements ORDER BY statement`,
      )
    ).rows;

  it('prepares a statement with parameters once, however often it runs, and answers as before', async () => {
    const text = `SELECT $1::int + 1 AS n`;
    for (let n = 0; n < 3; n++) {
      const { rows } = await client.query<{ n: number }>(text, [n]);
      expect(rows).toEqual([{ n: n + 1 }]);
    }
    expect(await prepared()).toEqual([{ statement: text, runs: '3' }]);
  });

  it('runs prepared statements on their generic plan from the first run, not on plans made for their values', async () => {
    const text = `SELECT count(*)::int AS n FROM pg_class WHERE relname = $1`;
    for (const name of ['pg_class', 'pg_type', 'no such relation']) await client.query(text, [name]);
    const { rows } = await client.query<{ generic: string; custom: string }>(
      `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE statement = $1`,
      [text],
    );
    expect(rows).toEqual([{ generic: '3', custom: '0' }]);
  });

  it('plans a statement that asks to be planned each time for its values, and goes back to generic plans after', async () => {
    const mode = async () => (await client.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0];
    expect(await mode()).toEqual({ plan_cache_mode: 'force_generic_plan' });
    const { rows } = await client.query<{ mode: string }>(
      `${PLANNED_EACH_TIME}SELECT current_setting('plan_cache_mode') AS mode, $1::int AS n`,
      [1],
    );
    expect(rows).toEqual([{ mode: 'auto', n: 1 }]);
    expect(await mode()).toEqual({ plan_cache_mode: 'force_generic_plan' });

    // Failing inside a transaction, the setting comes back with the rollback.
    await client.query('BEGIN');
    await expect(client.query(`${PLANNED_EACH_TIME}SELECT $1::int FROM no_such_table`, [1])).rejects.toThrow(
      /no_such_table/,
    );
    await client.query('ROLLBACK');
    expect(await mode()).toEqual({ plan_cache_mode: 'force_generic_plan' });
    // And failing outside one, at once.
    await expect(client.query(`${PLANNED_EACH_TIME}SELECT $1::int FROM no_such_table`, [1])).rejects.toThrow();
    expect(await mode()).toEqual({ plan_cache_mode: 'force_generic_plan' });
  });

  it('leaves a statement without parameters unnamed', async () => {
    await client.query(`SELECT 1`);
    await client.query(`SELECT 2`, []);
    expect(await prepared()).toEqual([]);
  });

  it('leaves a statement that asks to be planned each time unnamed', async () => {
    const { rows } = await client.query<{ n: number }>(`${PLANNED_EACH_TIME}SELECT $1::int AS n`, [3]);
    expect(rows).toEqual([{ n: 3 }]);
    expect(await prepared()).toEqual([]);
  });

  it('stops preparing new texts past its bound, and still runs them', async () => {
    for (let n = 0; n < 505; n++) await client.query(`SELECT $1::int AS n${n}`, [n]);
    const { rows } = await client.query<{ n504: number }>(`SELECT $1::int AS n504`, [7]);
    expect(rows).toEqual([{ n504: 7 }]);
    expect(await prepared()).toHaveLength(500);
  });

  it('fails a bad statement as before, and prepares it once it is good', async () => {
    await expect(client.query(`SELECT $1::int FROM no_such_table`, [1])).rejects.toThrow(/no_such_table/);
    await client.query(`CREATE TEMP TABLE no_such_table (n int)`);
    await expect(client.query(`SELECT $1::int FROM no_such_table`, [1])).resolves.toMatchObject({ rowCount: 0 });
    expect(await prepared()).toHaveLength(1);
  });
});
