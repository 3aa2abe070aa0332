import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { AgencyKind, Role } from '../src/agencies/agencies.enums';
import { AuditLog } from '../src/audit/audit-log.service';
import { AuditService } from '../src/audit/audit.service';
import { Database } from '../src/database/database.service';
import { RequestContext } from '../src/graphql/request-context';
import { SignedIn, TestAgency, TestApp } from '../libs/testing/src';

/** Findings of the correctness review of the chronology, matching and the audit chain, each as a specification. */
describe('the child record keeps its promises under edge cases', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  describe('verifying the audit chain', () => {
    /** An append by another connection that stays uncommitted, holding its lane, until `commit` is called. */
    async function openAppend(): Promise<{ seq: string; lane: number; client: Client }> {
      const client = new Client({ connectionString: app.database.url });
      await client.connect();
      await client.query('BEGIN');
      const [row] = (
        await client.query(
          `INSERT INTO audit_event (action, subject_type, prev_hash, hash)
           VALUES ('read', 'Child', '\\x', '\\x') RETURNING seq, lane`,
        )
      ).rows;
      return { ...row, client };
    }

    it('does not report an append that commits while the walk is between batches as a removed event', async () => {
      const pending = await openAppend();
      try {
        // More events than one batch holds, all after the pending one in seq order and committed before it.
        await app.dataSource.query(
          `INSERT INTO audit_event (action, subject_type, subject_id, prev_hash, hash)
           SELECT 'read', 'Child', 'bulk-' || n, '\\x', '\\x' FROM generate_series(1, 5001) n`,
        );
        let between: Promise<void> | undefined;
        const result = await app.nest.get(Database).transaction(async (manager, unit) => {
          // After the walk's first statement, the pending append commits and its lane moves on.
          const stepping = new Proxy(manager, {
            get(target, key, receiver) {
              if (key !== 'query') return Reflect.get(target, key, receiver);
              return async (...args: Parameters<EntityManager['query']>) => {
                const rows = await target.query(...args);
                between ??= (async () => {
                  await pending.client.query('COMMIT');
                  await pending.client.query(
                    `BEGIN; SET LOCAL audit.lane = '${pending.lane}';
                     INSERT INTO audit_event (action, subject_type, prev_hash, hash) VALUES ('read', 'Child', '\\x', '\\x');
                     COMMIT`,
                  );
                })();
                await between;
                return rows;
              };
            },
          });
          const ctx = new RequestContext('review', '127.0.0.1', unit, null, undefined);
          ctx.manager = () => Promise.resolve(stepping);
          return app.nest.get(AuditService).verifyChain(ctx);
        });
        expect(between).toBeDefined();
        expect(result).toMatchObject({ valid: true, firstInvalidSeq: null });
      } finally {
        await pending.client.end();
      }
    });
  });
});
