import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }`;
const UPDATE = `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { id version } }`;
const RECORD = `mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`;
const CHILDREN = `{ children(first: 10) { edges { node { id concerns(first: 5) { edges { node { id } } } } } } }`;
const CHILD_TWICE = `query ($id: ID!) {
  a: child(id: $id) { id concerns(first: 10) { edges { node { id child { id } } } } }
  b: child(id: $id) { givenName }
}`;
const CHILD = `query ($id: ID!) { child(id: $id) { id givenName } }`;
const MATCHES = `query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId } }`;
const TRAIL = `query ($childId: ID!) {
  auditTrail(childId: $childId) { edges { node { action subjectType route user { id } agency { id } } } }
}`;
const STAFF_LOG = `query ($userId: ID!) { staffAccessLog(userId: $userId) { edges { node { action } } } }`;

describe('auditing reads and changes of child records', () => {
  let app: TestApp;
  let dsl: SignedIn;
  let reader: SignedIn;
  const childIds: string[] = [];

  /** The events recorded for `who` since `since` (a seq), oldest first. */
  async function eventsOf(who: SignedIn, since = '0') {
    return app.dataSource.query(
      `SELECT action, subject_type, child_id, route, break_glass FROM audit_event
        WHERE user_id = $1 AND seq > $2 ORDER BY seq`,
      [who.user.id, since],
    );
  }
  async function head(): Promise<string> {
    const [{ seq }] = await app.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event`);
    return seq;
  }

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    reader = await app.factories.signedIn({ agency: dsl.agency!, roles: [Role.PRACTITIONER] });
    for (const givenName of ['Ava', 'Ben', 'Cal']) {
      const { registerChild } = await dsl.client.ok(REGISTER, {
        input: { givenName, familyName: 'Audit', dateOfBirth: '2012-05-01', basis: 'PUPIL' },
      });
      childIds.push(registerChild.child.id);
      await dsl.client.ok(RECORD, {
        input: {
          childId: registerChild.child.id,
          occurredAt: '2026-10-01T16:00:00Z',
          category: 'MISSING_FROM_HOME',
          indicators: [],
          recruitmentSetting: 'STREET',
          riskLevel: 'LOW',
          sensitivity: 'STANDARD',
          narrative: 'Missed two nights; returned with new clothes.',
        },
      });
    }
  });
  afterAll(() => app.stop());

  it('children (with each one’s concerns) writes exactly one read event per child returned', async () => {
    const since = await head();
    const { children } = await reader.client.ok(CHILDREN);
    expect(children.edges).toHaveLength(3);
    const events = await eventsOf(reader, since);
    expect(events).toHaveLength(3);
    expect(events.map((e: any) => e.child_id).sort()).toEqual([...childIds].sort());
    for (const event of events) {
      expect(event).toMatchObject({ action: 'read', subject_type: 'Child', route: 'INVOLVED', break_glass: false });
    }
  });

  it('child, read twice in one request with its concern list, writes exactly one event', async () => {
    const since = await head();
    await reader.client.ok(CHILD_TWICE, { id: childIds[0] });
    expect(await eventsOf(reader, since)).toEqual([
      { action: 'read', subject_type: 'Child', child_id: childIds[0], route: 'INVOLVED', break_glass: false },
    ]);
  });

  it('a child the reader cannot see writes nothing', async () => {
    const stranger = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.PRACTITIONER] });
    expect((await stranger.client.ok(CHILD, { id: childIds[0] })).child).toBeNull();
    expect(await eventsOf(stranger)).toEqual([]);
  });

  it('a match search is audited once for each child it discloses, in that child’s trail', async () => {
    const since = await head();
    const { possibleChildMatches } = await reader.client.ok(MATCHES, {
      input: { givenName: 'Ava', familyName: 'Audit', dateOfBirth: '2012-05-01' },
    });
    expect(possibleChildMatches.length).toBeGreaterThan(0);
    const events = await eventsOf(reader, since);
    expect(events.map((e: any) => [e.action, e.child_id])).toEqual(
      possibleChildMatches.map((m: any) => ['possibleChildMatches', m.childId]),
    );
  });

  it('a match search that finds nothing is audited once', async () => {
    const since = await head();
    await reader.client.ok(MATCHES, { input: { givenName: 'Nobody', familyName: 'Xylophone' } });
    expect((await eventsOf(reader, since)).map((e: any) => [e.action, e.child_id])).toEqual([
      ['possibleChildMatches', null],
    ]);
  });

  it('each change writes one event naming the child', async () => {
    const since = await head();
    const { registerChild } = await dsl.client.ok(REGISTER, {
      input: { givenName: 'Dee', familyName: 'Audit', basis: 'PUPIL' },
    });
    await dsl.client.ok(UPDATE, { input: { id: registerChild.child.id, version: 1, gender: 'female' } });
    const changes = (await eventsOf(dsl, since)).filter((e: any) => e.action !== 'read');
    expect(changes).toEqual([
      expect.objectContaining({ action: 'registerChild', child_id: registerChild.child.id, route: 'INVOLVED' }),
      expect.objectContaining({ action: 'updateChild', child_id: registerChild.child.id, route: 'INVOLVED' }),
    ]);
  });

  it('a read whose audit record cannot be written returns an error and no data', async () => {
    await app.ownerQuery(
      `ALTER TABLE audit_event ADD CONSTRAINT refuse_reader CHECK (user_id IS DISTINCT FROM '${reader.user.id}') NOT VALID`,
    );
    try {
      const res = await reader.client.query(CHILD, { id: childIds[1] });
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.data ?? null).toBeNull();
      expect(JSON.stringify(res)).not.toContain('Ben');
    } finally {
      await app.ownerQuery(`ALTER TABLE audit_event DROP CONSTRAINT refuse_reader`);
    }
  });

  it('a change whose audit record cannot be written is not made', async () => {
    await app.ownerQuery(
      `ALTER TABLE audit_event ADD CONSTRAINT refuse_dsl CHECK (user_id IS DISTINCT FROM '${dsl.user.id}') NOT VALID`,
    );
    try {
      const res = await dsl.client.query(UPDATE, { input: { id: childIds[2], version: 1, gender: 'male' } });
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.data ?? null).toBeNull();
    } finally {
      await app.ownerQuery(`ALTER TABLE audit_event DROP CONSTRAINT refuse_dsl`);
    }
    const [row] = await app.dataSource.query(`SELECT gender, version FROM child WHERE id = $1`, [childIds[2]]);
    expect(row).toEqual({ gender: null, version: 1 });
  });

  describe("the child's audit trail", () => {
    it('shows the school DSL who read or changed the record, and by which route', async () => {
      const trail = (await dsl.client.ok(TRAIL, { childId: childIds[0] })).auditTrail.edges.map((e: any) => e.node);
      expect(trail).toContainEqual({
        action: 'read',
        subjectType: 'Child',
        route: 'INVOLVED',
        user: { id: reader.user.id },
        agency: { id: dsl.agency!.id },
      });
      expect(trail).toContainEqual(
        expect.objectContaining({ action: 'registerChild', route: 'INVOLVED', user: { id: dsl.user.id } }),
      );
    });

    it('is not for practitioners, and does not exist for an agency not involved', async () => {
      expect(codeOf(await reader.client.query(TRAIL, { childId: childIds[0] }))).toBe('FORBIDDEN');
      const otherDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
      expect(codeOf(await otherDsl.client.query(TRAIL, { childId: childIds[0] }))).toBe('NOT_FOUND');
    });
  });

  it('a practitioner sees no audit at all', async () => {
    expect(codeOf(await reader.client.query(STAFF_LOG, { userId: reader.user.id }))).toBe('FORBIDDEN');
    expect(codeOf(await reader.client.query(`{ verifyAuditChain { valid } }`))).toBe('FORBIDDEN');
  });

  it('the chain is intact after all of it', async () => {
    const admin = await app.factories.platformAdmin();
    expect((await admin.client.ok(`{ verifyAuditChain { valid } }`)).verifyAuditChain).toEqual({ valid: true });
  });
});
