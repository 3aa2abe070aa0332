import { SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { InvolvementBasis } from '../src/common/enums/children';

const CHILDREN = `query ($first: Int, $after: String, $filter: ChildFilter) {
  children(first: $first, after: $after, filter: $filter) {
    edges { node { familyName accessRoute } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * `children` lists the children of the viewer's access, one row per child whatever its routes: a child reached by
 * several routes is listed once, with its strongest route, and children reached by different routes interleave
 * in name order across pages.
 */
describe('children reached by several routes', () => {
  let app: TestApp;
  let police: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    const school = await app.factories.agency({ kind: AgencyKind.SCHOOL });
    const policeAgency = await app.factories.agency({ kind: AgencyKind.POLICE });
    const lead = await app.factories.user({ agency: school, roles: [Role.SAFEGUARDING_LEAD] });
    police = await app.factories.signedIn({ agency: policeAgency, roles: [Role.POLICE_OFFICER] });
    // Family names A..F: the police are involved with A, C, E; the school with all, and grants the police B, C, D;
    // the officer broke glass on F and on C.
    const ids: Record<string, string> = {};
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) {
      ids[name] = await app.factories.children.child({ familyName: `Family ${name}`, involved: [school] });
    }
    for (const name of ['A', 'C', 'E']) {
      await app.factories.children.involvement(ids[name], policeAgency, { basis: InvolvementBasis.INVESTIGATION });
    }
    for (const name of ['B', 'C', 'D']) {
      await app.factories.sharing.grant({ childId: ids[name], from: school, by: lead, to: policeAgency });
    }
    for (const name of ['C', 'F']) {
      await app.factories.sharing.breakGlass({ childId: ids[name], user: police.user, agency: policeAgency });
    }
  });
  afterAll(() => app.stop());

  it('lists each child once, in name order, with the strongest route it is reached by', async () => {
    const data = await police.client.ok(CHILDREN, { first: 10 });
    expect(data.children.edges.map((edge: any) => [edge.node.familyName, edge.node.accessRoute])).toEqual([
      ['Family A', 'INVOLVED'],
      ['Family B', 'GRANTED'],
      ['Family C', 'INVOLVED'],
      ['Family D', 'GRANTED'],
      ['Family E', 'INVOLVED'],
      ['Family F', 'BREAK_GLASS'],
    ]);
    expect(data.children.pageInfo.hasNextPage).toBe(false);
  });

  it('pages across routes without losing or repeating a child', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 6; page++) {
      const data: any = await police.client.ok(CHILDREN, { first: 2, after });
      seen.push(...data.children.edges.map((edge: any) => edge.node.familyName));
      after = data.children.pageInfo.endCursor;
      if (!data.children.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['Family A', 'Family B', 'Family C', 'Family D', 'Family E', 'Family F']);
  });
});
