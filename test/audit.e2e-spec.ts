import { AgencyKind, Role } from '../src/common/enums/agencies';
import { AuditEntry, AuditLog } from '../src/audit/log/audit-log.service';
import { Client } from 'pg';
import { Database } from '../src/database/database.service';
import { codeOf, SignedIn, TestApp, TestUser } from '../libs/testing/src';

const VERIFY = `{ verifyAuditChain { valid eventsChecked firstInvalidSeq invalidSeqs headSeq } }`;
const STAFF_LOG = `query ($userId: ID!, $first: Int, $after: String) {
  staffAccessLog(userId: $userId, first: $first, after: $after) {
    edges { cursor node { seq action subjectType subjectId user { id } agency { id } hash } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('the audit log', () => {
  let app: TestApp;
  let platformAdmin: SignedIn;

  /** Appends events the way a request does: buffered on a unit of work, flushed just before it commits. */
  async function record(events: AuditEntry[]): Promise<void> {
    const audit = app.nest.get(AuditLog);
    await app.nest.get(Database).transaction(async (_manager, unit) => {
      for (const event of events) audit.record({ unit, actor: null }, event);
    });
  }

  async function seqs(): Promise<string[]> {
    const rows = await app.dataSource.query(`SELECT seq FROM audit_event ORDER BY seq`);
    return rows.map((row: { seq: string }) => row.seq);
  }

  /** Tampering as the schema owner, who can switch the append-only trigger off. */
  async function tamper(statement: string): Promise<void> {
    await app.ownerQuery(`BEGIN;
      ALTER TABLE audit_event DISABLE TRIGGER USER;
      ${statement};
      ALTER TABLE audit_event ENABLE TRIGGER USER;
      COMMIT`);
  }

  /** Tampers, lets `check` look, then puts every row back exactly as it was. */
  async function tampered(statement: string, check: () => Promise<void>): Promise<void> {
    await app.ownerQuery(`CREATE TABLE untouched AS SELECT * FROM audit_event`);
    try {
      await tamper(statement);
      await check();
    } finally {
      await tamper(`DELETE FROM audit_event; INSERT INTO audit_event SELECT * FROM untouched; DROP TABLE untouched`);
    }
    expect(await verify()).toMatchObject({ valid: true });
  }

  async function verify() {
    return (await platformAdmin.client.ok(VERIFY)).verifyAuditChain;
  }

  beforeAll(async () => {
    app = await TestApp.start();
    platformAdmin = await app.factories.platformAdmin();
  });
  afterAll(() => app.stop());

  describe('is append-only', () => {
    beforeAll(() => record([{ action: 'read', subjectType: 'Child', subjectId: 'c1' }]));

    it.each([
      ['UPDATE', `UPDATE audit_event SET action = 'forged'`],
      ['DELETE', `DELETE FROM audit_event`],
      ['TRUNCATE', `TRUNCATE audit_event`],
    ])('refuses %s from the application database role', async (_op, sql) => {
      await expect(app.dataSource.query(sql)).rejects.toThrow(/permission denied/);
    });

    it('refuses UPDATE and DELETE even from the owner while the trigger is on', async () => {
      await expect(app.ownerQuery(`UPDATE audit_event SET action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(app.ownerQuery(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
      await expect(app.ownerQuery(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    });

    it('chains events itself, whatever the writer supplies', async () => {
      await app.dataSource.query(
        `INSERT INTO audit_event (seq, at, action, subject_type, prev_hash, hash)
         VALUES (1, '2000-01-01', 'read', 'Child', '\\x00', '\\x00')`,
      );
      expect(await verify()).toMatchObject({ valid: true, firstInvalidSeq: null });
    });
  });

  describe('verifyAuditChain', () => {
    beforeAll(() =>
      record(
        Array.from({ length: 6 }, (_, i) => ({ action: 'updateChild', subjectType: 'Child', subjectId: `c${i}` })),
      ),
    );

    it('accepts an untouched chain and counts every event', async () => {
      const all = await seqs();
      expect(await verify()).toEqual({
        valid: true,
        eventsChecked: all.length,
        firstInvalidSeq: null,
        invalidSeqs: [],
        headSeq: all.at(-1),
      });
    });

    it('names an event whose row was altered', async () => {
      const target = (await seqs())[3];
      await tampered(`UPDATE audit_event SET subject_id = 'someone-else' WHERE seq = ${target}`, async () => {
        expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: target });
      });
    });

    it('names an event that was altered and re-hashed, through its successor', async () => {
      const target = (await seqs())[2];
      await tampered(
        `UPDATE audit_event SET action = 'forged' WHERE seq = ${target};
         UPDATE audit_event SET hash = audit_event_digest(audit_event) WHERE seq = ${target}`,
        async () => expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: target }),
      );
    });

    it('names an event that was deleted', async () => {
      const target = (await seqs())[4];
      await tampered(`DELETE FROM audit_event WHERE seq = ${target}`, async () => {
        expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: target });
      });
    });

    it('names every broken link, not only the first: an event altered and another deleted', async () => {
      const [, altered, , , deleted] = await seqs();
      await tampered(
        `UPDATE audit_event SET purpose = 'covered up' WHERE seq = ${altered};
         DELETE FROM audit_event WHERE seq = ${deleted}`,
        async () => {
          expect(await verify()).toMatchObject({
            valid: false,
            eventsChecked: (await seqs()).length,
            firstInvalidSeq: altered,
            invalidSeqs: [altered, deleted],
          });
        },
      );
    });

    it('names the first event when the chain starts late', async () => {
      const [first] = await seqs();
      await tampered(`DELETE FROM audit_event WHERE seq = ${first}`, async () => {
        expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: first });
      });
    });

    it('names the first of two events that were swapped', async () => {
      const [, , a, b] = await seqs();
      await tampered(
        `UPDATE audit_event SET seq = -seq WHERE seq IN (${a}, ${b});
         UPDATE audit_event SET seq = CASE seq WHEN -${a} THEN ${b} ELSE ${a} END WHERE seq IN (-${a}, -${b})`,
        async () => expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: a }),
      );
    });

    it('stays one chain when many requests append at once', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          record([
            { action: 'read', subjectType: 'Child', subjectId: `p${i}` },
            { action: 'recordConcern', subjectType: 'Concern', subjectId: `q${i}` },
          ]),
        ),
      );
      expect(await verify()).toMatchObject({ valid: true, eventsChecked: (await seqs()).length });
    });

    it('is for the platform admin only', async () => {
      const admin = await app.factories.signedIn({ roles: [Role.AGENCY_ADMIN] });
      expect(codeOf(await admin.client.query(VERIFY))).toBe('FORBIDDEN');
    });
  });

  describe('is chained by the database alone, whatever the application role sets', () => {
    const clients: Client[] = [];

    /** A connection of the application's own role, outside the app, as a compromised app could open. */
    async function appConnection(): Promise<Client> {
      const client = new Client({ connectionString: app.database.url });
      clients.push(client);
      await client.connect();
      return client;
    }

    async function append(client: Client): Promise<{ seq: string; lane: number; prev_seq: string | null }> {
      const { rows } = await client.query(
        `INSERT INTO public.audit_event (action, subject_type, prev_hash, hash)
         VALUES ('read', 'Child', '\\x', '\\x') RETURNING seq, lane, prev_seq`,
      );
      return rows[0];
    }

    /** Events that share a predecessor, or lanes with two first events: each is a fork of the chain. */
    async function forks(): Promise<unknown[]> {
      return app.dataSource.query(
        `SELECT prev_seq, NULL AS lane FROM audit_event WHERE prev_seq IS NOT NULL
          GROUP BY prev_seq HAVING count(*) > 1
         UNION ALL
         SELECT NULL, lane FROM audit_event GROUP BY lane HAVING count(*) FILTER (WHERE prev_seq IS NULL) > 1`,
      );
    }

    beforeAll(() => record([{ action: 'read', subjectType: 'Child', subjectId: 'before-forgery' }]));
    afterAll(() => Promise.all(clients.map((client) => client.end())));

    it('a lane named in the old audit.lane setting cannot make two open appends share a predecessor', async () => {
      const [first, second] = [await appConnection(), await appConnection()];
      await first.query(`BEGIN; SET LOCAL audit.lane = '5'`);
      await second.query(`SET audit.lane = '5'; BEGIN`);
      const [a, b] = [await append(first), await append(second)];
      await Promise.all([first.query('COMMIT'), second.query('COMMIT')]);

      expect(a.lane).not.toBe(b.lane);
      expect(await forks()).toEqual([]);
      expect(await verify()).toMatchObject({ valid: true, invalidSeqs: [] });
    });

    it("a session's temporary audit_event cannot pose as a lane's head", async () => {
      const [taken] = await app.dataSource.query(
        `SELECT prev_seq FROM audit_event WHERE prev_seq IS NOT NULL ORDER BY seq LIMIT 1`,
      );
      const client = await appConnection();
      // The same forged head for every lane, whichever one the trigger picks.
      await client.query(
        `CREATE TEMP TABLE audit_event AS
           SELECT e.seq, lanes.lane::smallint AS lane, e.hash
             FROM public.audit_event e, generate_series(0, 31) AS lanes (lane)
            WHERE e.seq = $1`,
        [taken.prev_seq],
      );
      const forged = await append(client);

      expect(forged.prev_seq).not.toBe(taken.prev_seq);
      expect(await forks()).toEqual([]);
      expect(await verify()).toMatchObject({ valid: true, invalidSeqs: [] });
    });
  });

  describe("an agency admin's staff access log", () => {
    let school: { id: string; name: string; kind: AgencyKind };
    let admin: SignedIn;
    let teacher: TestUser;
    let outsider: TestUser;

    beforeAll(async () => {
      school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
      const police = await app.factories.agency({ kind: AgencyKind.POLICE });
      admin = await app.factories.signIn(
        await app.factories.user({ agency: school, roles: [Role.AGENCY_ADMIN] }),
        school,
      );
      teacher = await app.factories.user({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
      // The same person also works for the police: what they do there is not the school's to see.
      await app.factories.membership(teacher.id, police, [Role.PRACTITIONER]);
      outsider = await app.factories.user({ agency: police, roles: [Role.POLICE_OFFICER] });
      const asTeacher = { userId: teacher.id, agencyId: school.id };
      await record([
        { action: 'read', subjectType: 'Child', subjectId: 'k1', by: asTeacher },
        { action: 'read', subjectType: 'Child', subjectId: 'k2', by: asTeacher },
        { action: 'recordConcern', subjectType: 'Concern', subjectId: 'k3', by: asTeacher },
        { action: 'read', subjectType: 'Child', subjectId: 'k4', by: { userId: teacher.id, agencyId: police.id } },
        { action: 'read', subjectType: 'Child', subjectId: 'k5', by: { userId: outsider.id, agencyId: police.id } },
      ]);
    });

    it('shows what its own staff member did for its agency, newest first, page by page', async () => {
      const first = await admin.client.ok(STAFF_LOG, { userId: teacher.id, first: 2 });
      const page1 = first.staffAccessLog;
      expect(page1.edges.map((e: any) => e.node.subjectId)).toEqual(['k3', 'k2']);
      expect(page1.edges[0].node).toMatchObject({
        action: 'recordConcern',
        subjectType: 'Concern',
        user: { id: teacher.id },
        agency: { id: school.id },
      });
      expect(page1.edges[0].node.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const second = await admin.client.ok(STAFF_LOG, { userId: teacher.id, after: page1.pageInfo.endCursor });
      expect(second.staffAccessLog.edges.map((e: any) => e.node.subjectId)).toEqual(['k1']);
      expect(second.staffAccessLog.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    });

    it('does not know people of other agencies', async () => {
      expect(codeOf(await admin.client.query(STAFF_LOG, { userId: outsider.id }))).toBe('NOT_FOUND');
      expect(codeOf(await admin.client.query(STAFF_LOG, { userId: 'not-a-uuid' }))).toBe('NOT_FOUND');
    });

    it('is not open to practitioners, leads or the platform admin', async () => {
      const practitioner = await app.factories.signIn(teacher, school);
      expect(codeOf(await practitioner.client.query(STAFF_LOG, { userId: teacher.id }))).toBe('FORBIDDEN');
      expect(codeOf(await platformAdmin.client.query(STAFF_LOG, { userId: teacher.id }))).toBe('FORBIDDEN');
    });

    it('refuses a page size out of range, naming the argument', async () => {
      const res = await admin.client.query(STAFF_LOG, { userId: teacher.id, first: 500 });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });
  });
});
