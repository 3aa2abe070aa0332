import { DEMO_PASSWORD } from '../src/demo/demo-people';
import { GraphQLClient, TestApp } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const MINE = `query { myConferences {
  kind status dueBy scheduledAfterDue quorumMet strategyDiscussionOn
  child { givenName flags }
  invitations { response agency { name } }
  reports { sensitivity agency { name } }
  attendance { present agency { name } }
  decision {
    recommendation nextReviewBy
    actions { description dueOn status ownerAgency { name } }
    dissents { note agency { name } }
  }
} }`;

/** Kai's conferences (reference/demo-story.md, steps 5 and 6) as the people around him walk them in the demo. */
describe('the demo conferences', () => {
  let app: TestApp;

  async function conferencesOf(email: string) {
    const login = await app.anonymous().ok(LOGIN, { email, password: DEMO_PASSWORD });
    return (await new GraphQLClient(app.baseUrl, login.login.token).ok(MINE)).myConferences;
  }

  beforeAll(async () => {
    app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => app.stop());

  it('gives the chair the strategy discussion, the initial conference within 15 working days, and the review', async () => {
    const conferences = await conferencesOf('chair@childrens-services.demo');
    expect(conferences.map((c: any) => [c.kind, c.status, c.dueBy])).toEqual([
      ['STRATEGY_DISCUSSION', 'DECIDED', '2026-11-10'],
      ['INITIAL_CHILD_PROTECTION', 'DECIDED', '2026-12-01'],
      ['REVIEW_CHILD_PROTECTION', 'CONVENED', '2027-02-26'],
    ]);
    const initial = conferences[1];
    expect(initial.strategyDiscussionOn).toBe('2026-11-10');
    expect(initial.scheduledAfterDue).toBe(false);
    expect(initial.quorumMet).toBe(true);
    expect(initial.child).toEqual({
      givenName: 'Kai',
      // The NRM flag comes from step 7 of the story (demo-non-punishment.ts).
      flags: ['POTENTIAL_VICTIM_OF_EXPLOITATION', 'UNDER_CHILD_PROTECTION_PLAN', 'NRM_POSITIVE_REASONABLE_GROUNDS'],
    });
    expect(initial.decision.recommendation).toBe('VICTIM_PROTECTION');
    expect(initial.decision.nextReviewBy).toBe('2027-02-26');
    expect(initial.decision.actions.map((a: any) => a.ownerAgency.name)).toEqual([
      'Northbridge Youth Service',
      'Northbridge Academy',
      'Northbridge Police',
    ]);
    expect(initial.decision.dissents.map((d: any) => d.agency.name)).toEqual(['Northbridge Police']);
  });

  it('shows each agency the reports in its own tiers: the police see theirs, the Academy neither police nor health', async () => {
    const reports = async (email: string) => {
      const initial = (await conferencesOf(email)).find((c: any) => c.kind === 'INITIAL_CHILD_PROTECTION');
      return initial.reports.map((r: any) => r.sensitivity).sort();
    };
    expect(await reports('dsl@academy.demo')).toEqual(['STANDARD', 'STANDARD']);
    expect(await reports('officer@police.demo')).toEqual(['POLICE_RESTRICTED', 'STANDARD', 'STANDARD']);
    expect(await reports('practitioner@health.demo')).toEqual(['HEALTH_CONFIDENTIAL', 'STANDARD', 'STANDARD']);
  });

  it('leaves the review’s invitations for the agencies to answer', async () => {
    const review = (await conferencesOf('dsl@academy.demo')).find((c: any) => c.kind === 'REVIEW_CHILD_PROTECTION');
    expect(review.invitations.map((i: any) => i.response)).toEqual(['PENDING', 'PENDING', 'PENDING']);
  });
});
