import { Client } from 'pg';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { codeOf, SignedIn, TestApp } from '../libs/testing/src';

const TWO_CONCERNS = `mutation Two($first: RecordConcernInput!, $second: RecordConcernInput!) {
  first: recordConcern(input: $first) { id narrative }
  second: recordConcern(input: $second) { id narrative }
}`;

const PAGE = `query Page($first: Int) {
  children(first: $first) {
    edges { node { id involvements { agency { name } } currentRisk { level } concerns(first: 5) { edges { node { id agency { name } recordedBy { displayName } } } } } }
  }
}`;

describe('one transaction per request', () => {
  let app: TestApp;
  let dsl: SignedIn;
  let childId: string;

  const concern = (narrative: string, indicators: string[]) => ({
    childId,
    occurredAt: '2026-09-15T08:30:00Z',
    category: 'CRIMINAL_EXPLOITATION',
    indicators,
    recruitmentSetting: 'SECONDARY_SCHOOL',
    riskLevel: 'MEDIUM',
    sensitivity: 'STANDARD',
    narrative,
  });

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    const data = await dsl.client.ok(
      `mutation { registerChild(input: { givenName: "Kai", familyName: "Tester", basis: PUPIL }) { child { id } } }`,
    );
    childId = data.registerChild.child.id;
  });
  afterAll(() => app.stop());

  it('undoes every mutation of a request when one fails', async () => {
    const result = await dsl.client.query(TWO_CONCERNS, {
      first: concern('A valid concern that must not survive its failed sibling.', ['MULTIPLE_PHONES']),
      second: concern('An invalid one.', ['NOT_AN_INDICATOR']),
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM concern WHERE child_id = $1`, [
      childId,
    ]);
    expect(count).toBe(0);
  });

  it('lets the concurrent loaders of one request take turns on its connection instead of overlapping', async () => {
    await dsl.client.ok(TWO_CONCERNS, {
      first: concern('One concern.', ['MULTIPLE_PHONES']),
      second: concern('Another concern.', ['MISSING_EPISODE']),
    });
    // A statement sent while its connection is still busy with another is what node-postgres deprecates.
    const original = Client.prototype.query;
    let overlapping = 0;
    let sent = 0;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const client = this as unknown as { activeQuery: unknown; _queryQueue: unknown[] };
      sent++;
      if (client.activeQuery || client._queryQueue.length > 0) overlapping++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    try {
      const data = await dsl.client.ok(PAGE, { first: 10 });
      expect(data.children.edges[0].node.concerns.edges).toHaveLength(2);
    } finally {
      Client.prototype.query = original;
    }
    expect(sent).toBeGreaterThan(5);
    expect(overlapping).toBe(0);
  });
});
