import { TestAgency, TestApp } from '../libs/testing/src';
import type { Actor } from '../src/access/actor';
import { AccessRoute, ChildAccessScope } from '../src/access/child-access';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { InvolvementBasis } from '../src/common/enums/children';

/**
 * The access seam itself, in SQL against PostgreSQL: which children an actor reaches and what the route opens.
 * (The GraphQL behaviour built on it is specified in children.e2e-spec.ts.)
 */
describe('the child access scope (INVOLVED route)', () => {
  let app: TestApp;
  let school: TestAgency;
  let police: TestAgency;
  let health: TestAgency;
  let kai: string;
  let ava: string;

  const actorOf = (agency: TestAgency, roles: Role[], platformAdmin = false): Actor => ({
    userId: '00000000-0000-4000-8000-000000000001',
    sessionId: '00000000-0000-4000-8000-000000000002',
    email: 'someone@example.test',
    displayName: 'Someone',
    platformAdmin,
    membership: { agencyId: agency.id, agencyKind: agency.kind, firstResponder: false, roles },
  });

  const child = (givenName: string) => app.factories.children.child({ givenName });

  const involve = (childId: string, agency: TestAgency, until: string | null = null) =>
    app.factories.children.involvement(childId, agency, { basis: InvolvementBasis.PUPIL, until });

  async function reached(actor: Actor): Promise<Array<{ child_id: string; route: string; tiers: string[] }>> {
    const values: unknown[] = [];
    const sql = ChildAccessScope.for(actor).toPositional(values);
    return app.dataSource.query(`SELECT child_id, route, tiers, full_record FROM (${sql}) a ORDER BY child_id`, values);
  }

  beforeAll(async () => {
    app = await TestApp.start();
    school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    police = await app.factories.agency({ kind: AgencyKind.POLICE });
    health = await app.factories.agency({ kind: AgencyKind.HEALTH });
    kai = await child('Kai');
    ava = await child('Ava');
    await involve(kai, school);
    await involve(kai, police, '2026-02-01'); // an ended involvement besides the open one: still one row
    await involve(kai, police);
    await involve(ava, health, '2020-06-30');
  });
  afterAll(() => app.stop());

  it('opens to an involved school its child, STANDARD tier, full record', async () => {
    expect(await reached(actorOf(school, [Role.SAFEGUARDING_LEAD]))).toEqual([
      { child_id: kai, route: AccessRoute.INVOLVED, tiers: ['STANDARD'], full_record: true },
    ]);
  });

  it('opens the POLICE_RESTRICTED tier to the police, once per child however many involvements', async () => {
    expect(await reached(actorOf(police, [Role.POLICE_OFFICER]))).toEqual([
      { child_id: kai, route: AccessRoute.INVOLVED, tiers: ['STANDARD', 'POLICE_RESTRICTED'], full_record: true },
    ]);
  });

  it('gives nothing through an involvement that has ended', async () => {
    expect(await reached(actorOf(health, [Role.PRACTITIONER]))).toEqual([]);
  });

  it('gives an agency admin, an analyst and a platform admin no child at all', async () => {
    expect(await reached(actorOf(school, [Role.AGENCY_ADMIN]))).toEqual([]);
    expect(await reached(actorOf(school, [Role.ANALYST]))).toEqual([]);
    expect(await reached(actorOf(school, [Role.SAFEGUARDING_LEAD], true))).toEqual([]);
  });

  it('joins a TypeORM query builder', async () => {
    const scope = ChildAccessScope.for(actorOf(school, [Role.PRACTITIONER]));
    const qb = app.dataSource
      .createQueryBuilder()
      .select('c.id', 'id')
      .addSelect('access.route', 'route')
      .from('child', 'c');
    scope.joinTo(qb, 'c.id');
    expect(await qb.getRawMany()).toEqual([{ id: kai, route: 'INVOLVED' }]);
  });

  it('shows a tiered entry when its tier is opened or the acting agency wrote it', async () => {
    const scope = ChildAccessScope.for(actorOf(school, [Role.PRACTITIONER]));
    const values: unknown[] = [kai, police.id, school.id];
    const access = scope.toPositional(values);
    const visible = scope.visibleConcernPositional('e.sensitivity', 'e.agency_id', 'access', values);
    const rows = await app.dataSource.query(
      `WITH e (child_id, sensitivity, agency_id) AS (
         VALUES ($1::uuid, 'STANDARD', $2::uuid), ($1::uuid, 'POLICE_RESTRICTED', $2::uuid),
                ($1::uuid, 'HEALTH_CONFIDENTIAL', $3::uuid))
       SELECT e.sensitivity FROM e JOIN (${access}) access ON access.child_id = e.child_id
        WHERE ${visible} ORDER BY e.sensitivity`,
      values,
    );
    expect(rows.map((row: { sensitivity: string }) => row.sensitivity)).toEqual(['HEALTH_CONFIDENTIAL', 'STANDARD']);

    const qb = app.dataSource
      .createQueryBuilder()
      .addCommonTableExpression(
        `SELECT * FROM (VALUES (:kai::uuid, 'STANDARD', :police::uuid), (:kai::uuid, 'POLICE_RESTRICTED', :police::uuid),
                               (:kai::uuid, 'HEALTH_CONFIDENTIAL', :school::uuid)) v (child_id, sensitivity, agency_id)`,
        'entry',
      )
      .select('e.sensitivity', 'sensitivity')
      .from('entry', 'e')
      .setParameters({ kai, police: police.id, school: school.id })
      .orderBy('e.sensitivity');
    scope.joinTo(qb, 'e.child_id').andWhere(scope.visibleConcern('e.sensitivity', 'e.agency_id'));
    expect(await qb.getRawMany()).toEqual([{ sensitivity: 'HEALTH_CONFIDENTIAL' }, { sensitivity: 'STANDARD' }]);
  });

  it('narrows to given children and answers EXISTS conditions', async () => {
    const scope = ChildAccessScope.for(actorOf(police, [Role.POLICE_OFFICER]), { childIds: [ava, kai] });
    const rows = await app.dataSource
      .createQueryBuilder()
      .select('c.given_name', 'name')
      .from('child', 'c')
      .where(scope.exists('c.id'))
      .getRawMany();
    expect(rows).toEqual([{ name: 'Kai' }]);
  });
});
