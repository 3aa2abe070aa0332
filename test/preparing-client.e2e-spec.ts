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
