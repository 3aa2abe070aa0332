import { DEMO_PASSWORD } from '../src/demo/demo-people';
import { GraphQLClient, TestApp } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const KAI = `query {
  children(filter: { search: "Kai Thompson" }) { edges { node {
    id accessRoute flags
    concerns { edges { node { sensitivity agency { name } } } }
    conferences { kind decision { recommendation dissents { agency { name } } } }
    nrmReferrals { referredOn reasonableGrounds reasonableGroundsOn referringAgency { name } }
    nonPunishmentAssessments {
      offence offenceDate outcome decidedAt section45Limb conferenceRecommendation decidedBy { displayName }
      scheduleFourOffence reasonToBelieveVictim reasonToBelieveBasis duressEvidence section45DefenceAvailable
      publicInterestRationale
    }
  } } }
}`;
const NOTIFICATIONS = `query { notifications { kind message childId } }`;

/** Kai's whole journey (reference/demo-story.md, steps 1-8), as the people of the demo walk it in the README. */
describe('the demo story', () => {
  let app: TestApp;

  async function as(email: string): Promise<GraphQLClient> {
    const login = await app.anonymous().ok(LOGIN, { email, password: DEMO_PASSWORD });
    return new GraphQLClient(app.baseUrl, login.login.token);
  }
  const kaiAs = async (client: GraphQLClient) => {
    const edges = (await client.ok(KAI)).children.edges;
    expect(edges).toHaveLength(1);
    return edges[0].node;
  };

  beforeAll(async () => {
    app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => app.stop());

  it('lets the prosecutor reach Kai by the police’s grant, and read the four stages of the assessment', async () => {
    const kai = await kaiAs(await as('prosecutor@cps.demo'));
    expect(kai.accessRoute).toBe('GRANTED');
    expect(kai.flags).toEqual(
      expect.arrayContaining(['POTENTIAL_VICTIM_OF_EXPLOITATION', 'NRM_POSITIVE_REASONABLE_GROUNDS']),
    );
    expect(kai.concerns.edges.map((e: any) => e.node.sensitivity)).toContain('POLICE_RESTRICTED');
    expect(kai.nonPunishmentAssessments).toEqual([
      expect.objectContaining({
        offenceDate: '2026-11-02',
        outcome: 'NO_PROSECUTION',
        section45Limb: 'CHILD',
        conferenceRecommendation: 'VICTIM_PROTECTION',
        scheduleFourOffence: false,
        reasonToBelieveVictim: true,
        duressEvidence: false,
        section45DefenceAvailable: true,
        decidedBy: { displayName: 'Elena Russo (demo)' },
      }),
    ]);
    expect(kai.nonPunishmentAssessments[0].reasonToBelieveBasis).toContain('Reasonable Grounds');
  });

  it('shows the police their referral with its positive Reasonable Grounds decision two weeks later', async () => {
    const kai = await kaiAs(await as('officer@police.demo'));
    expect(kai.nrmReferrals).toEqual([
      {
        referredOn: '2026-11-11',
        reasonableGrounds: 'POSITIVE',
        reasonableGroundsOn: '2026-11-25',
        referringAgency: { name: 'Northbridge Police' },
      },
    ]);
    const initial = kai.conferences.find((c: any) => c.kind === 'INITIAL_CHILD_PROTECTION');
    expect(initial.decision.recommendation).toBe('VICTIM_PROTECTION');
    expect(initial.decision.dissents).toEqual([{ agency: { name: 'Northbridge Police' } }]);
  });

  it('shows the Academy the outcome and its date, not the reasoning, and tells its DSL', async () => {
    const dsl = await as('dsl@academy.demo');
    const kai = await kaiAs(dsl);
    expect(kai.concerns.edges.map((e: any) => e.node.sensitivity)).not.toContain('POLICE_RESTRICTED');
    expect(kai.nonPunishmentAssessments).toEqual([
      expect.objectContaining({
        outcome: 'NO_PROSECUTION',
        decidedAt: '2026-11-30T15:00:00.000Z',
        scheduleFourOffence: null,
        reasonToBelieveVictim: null,
        reasonToBelieveBasis: null,
        duressEvidence: null,
        section45DefenceAvailable: null,
        publicInterestRationale: null,
      }),
    ]);
    const { notifications } = await dsl.ok(NOTIFICATIONS);
    expect(notifications).toContainEqual({
      kind: 'NON_PUNISHMENT_OUTCOME',
      message: 'A prosecutor recorded a non-punishment assessment: NO_PROSECUTION (decided 2026-11-30)',
      childId: kai.id,
    });
  });

  it('tells the chair of Kai’s conferences of the outcome', async () => {
    const { notifications } = await (await as('chair@childrens-services.demo')).ok(NOTIFICATIONS);
    expect(notifications.filter((n: any) => n.kind === 'NON_PUNISHMENT_OUTCOME')).toHaveLength(1);
  });
});
