import { codeOf, GraphQLClient, TestApp } from '../libs/testing/src';
import { addWorkingDays } from '../libs/working-days/src';
import { DEMO_PASSWORD } from '../src/demo/demo-people';

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`;
const DUE_BY = `query ($input: ConveneConferenceInput!) { conferenceDueBy(input: $input) }`;
const DAY = 24 * 3600_000;

/**
 * `conferenceDueBy`: the day a conference would be due by, computed and refused as conveneConference computes and
 * refuses it, for the convene page's "check" step; nothing is convened.
 */
describe('conferenceDueBy', () => {
  let app: TestApp;
  let chair: GraphQLClient;
  let input: Record<string, unknown>;

  const as = async (email: string) =>
    new GraphQLClient(app.baseUrl, (await app.anonymous().ok(LOGIN, { email, password: DEMO_PASSWORD })).login.token);
  const conferences = async () => Number((await app.dataSource.query(`SELECT count(*) FROM conference`))[0].count);

  beforeAll(async () => {
    app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
    chair = await as('chair@childrens-services.demo');
    const { me, agencies } = await chair.ok(`{ me { user { id } } agencies { id name } }`);
    const [kai] = await app.dataSource.query(`SELECT id FROM child WHERE given_name = 'Kai'`);
    input = {
      childId: kai.id,
      chairId: me.user.id,
      kind: 'INITIAL_CHILD_PROTECTION',
      strategyDiscussionOn: new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10),
      scheduledFor: new Date(Date.now() + 30 * DAY).toISOString(),
      invitedAgencyIds: [agencies.find((a: { name: string }) => a.name === 'Northbridge Academy').id],
    };
  });
  afterAll(() => app.stop());

  it('answers 15 working days after the strategy discussion for an initial conference, convening nothing', async () => {
    const before = await conferences();
    const { conferenceDueBy } = await chair.ok(DUE_BY, { input });
    expect(conferenceDueBy).toBe(addWorkingDays(input.strategyDiscussionOn as string, 15));
    // What convening the same input stores.
    const { conveneConference } = await chair.ok(
      `mutation ($input: ConveneConferenceInput!) { conveneConference(input: $input) { dueBy } }`,
      { input },
    );
    expect(conveneConference.dueBy).toBe(conferenceDueBy);
    expect(await conferences()).toBe(before + 1);
  });

  it('answers the scheduled day for an exploitation risk meeting', async () => {
    const { strategyDiscussionOn: _, ...rest } = input;
    const scheduledFor = '2027-03-04T10:00:00.000Z';
    const { conferenceDueBy } = await chair.ok(DUE_BY, {
      input: { ...rest, kind: 'EXPLOITATION_RISK', scheduledFor },
    });
    expect(conferenceDueBy).toBe('2027-03-04');
  });

  it('refuses as convening would: the field named, and for those who may not convene', async () => {
    const before = await conferences();
    const missing = await chair.query(DUE_BY, { input: { ...input, strategyDiscussionOn: null } });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0].extensions?.field).toBe('input.strategyDiscussionOn');
    const past = await chair.query(DUE_BY, { input: { ...input, scheduledFor: new Date(Date.now() - DAY) } });
    expect(past.errors?.[0].extensions?.field).toBe('input.scheduledFor');
    const school = await (await as('dsl@academy.demo')).query(DUE_BY, { input });
    expect(codeOf(school)).toBe('FORBIDDEN');
    expect(await conferences()).toBe(before);
  });
});
