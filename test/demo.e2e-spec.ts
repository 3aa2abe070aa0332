import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Role } from '../src/common/enums/agencies';
import { AppModule } from '../src/app.module';
import { DEMO_AGENCIES, DEMO_PASSWORD } from '../src/demo/demo-people';
import { codeOf, GraphQLClient, TestApp } from '../libs/testing/src';

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token session { user { email displayName } agency { name } roles } } }`;

describe('the demo dataset', () => {
  describe('on a database started with SEED_DEMO=true', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await TestApp.start({ env: { SEED_DEMO: 'true' } });
    });
    afterAll(() => app.stop());

    it('seeds the nine Northbridge agencies, every row marked demo', async () => {
      const agencies = await app.dataSource.query(`SELECT name, local_authority, demo FROM agency ORDER BY name`);
      expect(agencies).toHaveLength(9);
      expect(
        agencies.every(
          (a: { demo: boolean; local_authority: string }) => a.demo && a.local_authority === 'Northbridge',
        ),
      ).toBe(true);
      const [{ undemo }] = await app.dataSource.query(`SELECT count(*)::int AS undemo FROM app_user WHERE NOT demo`);
      expect(undemo).toBe(0);
    });

    it('lets a demo person sign in with the shared demo password and act for their agency', async () => {
      const res = await app.anonymous().query(LOGIN, { email: 'dsl@academy.demo', password: DEMO_PASSWORD });
      expect(res.data!.login.session).toMatchObject({
        user: { email: 'dsl@academy.demo', displayName: expect.stringContaining('(demo)') },
        agency: { name: 'Northbridge Academy' },
        roles: ['SAFEGUARDING_LEAD'],
      });
      const chair = await app
        .anonymous()
        .query(LOGIN, { email: 'chair@childrens-services.demo', password: DEMO_PASSWORD });
      const client = new GraphQLClient(app.baseUrl, chair.data!.login.token);
      expect((await client.ok(`{ me { roles } }`)).me.roles).toEqual(['CONFERENCE_CHAIR']);
    });

    it('has someone in every role, with the role in the email', async () => {
      const emails = DEMO_AGENCIES.flatMap((agency) =>
        agency.people.map((person) => `${person.as}@${agency.key}.demo`),
      );
      const rows = await app.dataSource.query(`SELECT email FROM app_user WHERE email = ANY($1)`, [emails]);
      expect(rows).toHaveLength(emails.length);
      const [{ roles }] = await app.dataSource.query(
        `SELECT array_agg(DISTINCT r) AS roles FROM membership, unnest(roles) r`,
      );
      expect([...roles].sort()).toEqual(Object.values(Role).sort());
    });

    it('has one involvement request waiting: its deciders see the child, the youth worker who asked does not', async () => {
      const signIn = async (email: string) => {
        const res = await app.anonymous().query(LOGIN, { email, password: DEMO_PASSWORD });
        return new GraphQLClient(app.baseUrl, res.data!.login.token);
      };
      const REQUESTS = `{ involvementRequests(status: PENDING) { status match { initials } child { givenName } } }`;
      const dsl = await signIn('dsl@st-annes.demo');
      expect((await dsl.ok(REQUESTS)).involvementRequests).toEqual([
        { status: 'PENDING', match: { initials: 'MC' }, child: { givenName: 'Mia' } },
      ]);
      expect((await dsl.ok(`{ notifications { kind } }`)).notifications).toEqual([{ kind: 'INVOLVEMENT_REQUESTED' }]);
      const youthWorker = await signIn('practitioner@youth-service.demo');
      expect((await youthWorker.ok(REQUESTS)).involvementRequests).toEqual([
        { status: 'PENDING', match: { initials: 'MC' }, child: null },
      ]);
    });

    it('is not seeded twice when the service starts again', async () => {
      const again = await NestFactory.create(AppModule.forRoot(app.config), new FastifyAdapter(), { logger: false });
      await again.init();
      await again.close();
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM agency`);
      expect(n).toBe(9);
    });
  });

  describe('on a database given by DATABASE_URL without SEED_DEMO', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await TestApp.start();
    });
    afterAll(() => app.stop());

    it('seeds nothing, so demo people cannot sign in', async () => {
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM agency`);
      expect(n).toBe(0);
      const res = await app.anonymous().query(LOGIN, { email: 'dsl@academy.demo', password: DEMO_PASSWORD });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    });
  });
});
