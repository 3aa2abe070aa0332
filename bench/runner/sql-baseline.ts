import { createServer, Server } from 'node:http';
import { Pool } from 'pg';

/**
 * child-read's data by hand-written SQL through `pg`: no GraphQL, no authorization, no audit, the same five
 * reads a child page needs, on a pool the size of the service's. What the service's reads are measured against.
 */
const READS = [
  `SELECT id, given_name, family_name, date_of_birth, gender, address, flags FROM child WHERE id = $1`,
  `SELECT scheme, value FROM child_identifier WHERE child_id = $1`,
  `SELECT i.basis, i.since, i.until, a.name, a.kind FROM involvement i JOIN agency a ON a.id = i.agency_id
    WHERE i.child_id = $1`,
  `SELECT level, assessed_at FROM risk_assessment WHERE child_id = $1 ORDER BY assessed_at DESC, id DESC LIMIT 1`,
  `SELECT id, occurred_at, category, risk_level, sensitivity, narrative FROM concern WHERE child_id = $1
    ORDER BY occurred_at DESC, id DESC LIMIT 21`,
];
export const BASELINE_STATEMENTS = READS.length;

export class SqlBaseline {
  private readonly pool: Pool;
  private readonly server: Server;

  constructor(databaseUrl: string, poolSize: number) {
    this.pool = new Pool({ connectionString: databaseUrl, max: poolSize });
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { id } = JSON.parse(body) as { id: string };
        Promise.all(READS.map((sql) => this.pool.query(sql, [id])))
          .then(([child, identifiers, involvements, risk, concerns]) => {
            response.setHeader('content-type', 'application/json');
            response.end(
              JSON.stringify({
                data: {
                  child: child.rows[0],
                  identifiers: identifiers.rows,
                  involvements: involvements.rows,
                  currentRisk: risk.rows[0] ?? null,
                  concerns: concerns.rows.slice(0, 20),
                },
              }),
            );
          })
          .catch((error: Error) => {
            response.statusCode = 500;
            response.end(JSON.stringify({ errors: [{ message: error.message }] }));
          });
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.pool.end();
  }
}
