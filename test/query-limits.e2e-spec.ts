import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme, InvolvementBasis } from '../src/common/enums/children';
import { codeOf, GraphQLResponse, SignedIn, TestApp } from '../libs/testing/src';
import { ConcernCategory, RecruitmentSetting, RiskLevel } from '../src/common/enums/chronology';
import { LIMIT_REFUSAL } from '../src/graphql/error-formatter';

/** Every field the contract lists for these types, nested objects included, as far as the schema serves them. */
const AGENCY = `fragment AgencyFields on Agency { id name kind localAuthority firstResponder active }`;
const USER = `fragment UserFields on User {
  id email displayName active platformAdmin memberships { agency { ...AgencyFields } roles active }
} ${AGENCY}`;
const CHILD = `fragment ChildFields on Child {
  id givenName familyName aliases dateOfBirth gender address accessRoute flags version
  identifiers { scheme value }
  involvements { id basis since until agency { ...AgencyFields } }
  currentRisk {
    id level exploitationTypes rationale sensitivity assessedAt agency { ...AgencyFields } assessedBy { ...UserFields }
  }
}`;
const CONCERN = `fragment ConcernFields on Concern {
  id occurredAt recordedAt category indicators recruitmentSetting riskLevel sensitivity narrative
  agency { ...AgencyFields } recordedBy { ...UserFields }
}`;
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

/** A page of 100 children, each with every field and its first page of concerns (the default 20). */
const CHILDREN_PAGE = `children(first: 100) {
  edges { cursor node { ...ChildFields concerns { edges { cursor node { ...ConcernFields } } ${PAGE_INFO} } } }
  ${PAGE_INFO}
}`;
const CHILDREN = `query { ${CHILDREN_PAGE} } ${CHILD} ${CONCERN} ${USER}`;

const CONCERNS = `query ($id: ID!) {
  child(id: $id) {
    ...ChildFields
    concerns(first: 100) {
      edges {
        cursor
        node {
          ...ConcernFields
          child { ...ChildFields }
          amends { ...ConcernFields }
          amendedBy { ...ConcernFields }
        }
      }
      ${PAGE_INFO}
    }
  }
} ${CHILD} ${CONCERN} ${USER}`;

const AUDIT_TRAIL = `query ($id: ID!) {
  auditTrail(childId: $id, first: 100) {
    edges {
      cursor
      node {
        seq at action subjectType subjectId childId route hash breakGlass
        user { ...UserFields }
        agency { ...AgencyFields }
      }
    }
    ${PAGE_INFO}
  }
} ${USER}`;

describe('pages at their documented maximum', () => {
  let app: TestApp;
  let dsl: SignedIn;
  let admin: SignedIn;
  let kai: string;

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    admin = await app.factories.signedIn({ agency: dsl.agency!, roles: [Role.AGENCY_ADMIN] });
    // One more of each than a page holds, so every page below is full and has a next one.
    const children = await app.factories.children.children(101, {
      familyName: 'Page',
      dateOfBirth: '2013-03-01',
      aliases: ['KJ'],
      gender: 'male',
      address: '1 Test Street',
      involved: [dsl.agency!],
      basis: InvolvementBasis.PUPIL,
    });
    kai = children[0];
    await app.factories.children.identifier(kai, IdentifierScheme.LOCAL_AUTHORITY, 'LA-1', dsl.agency!);
    const concerns = [];
    for (let hour = 1; hour <= 101; hour++) {
      concerns.push(
        await app.factories.concern({
          childId: kai,
          by: dsl,
          occurredAt: new Date(Date.UTC(2026, 0, 1, 9 + hour)),
          category: ConcernCategory.CRIMINAL_EXPLOITATION,
          indicators: ['MULTIPLE_PHONES'],
          recruitmentSetting: RecruitmentSetting.SECONDARY_SCHOOL,
          riskLevel: RiskLevel.MEDIUM,
        }),
      );
    }
    await dsl.client.ok(`mutation ($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`, {
      input: {
        childId: kai,
        amendsConcernId: concerns.at(-1)!.id,
        occurredAt: '2026-02-01T10:00:00Z',
        category: 'CRIMINAL_EXPLOITATION',
        indicators: ['MULTIPLE_PHONES'],
        recruitmentSetting: 'SECONDARY_SCHOOL',
        riskLevel: 'HIGH',
        sensitivity: 'STANDARD',
        narrative: 'Correction: it was a second phone, not a third.',
      },
    });
    await dsl.client.ok(
      `mutation ($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { id } }`,
      {
        input: {
          childId: kai,
          level: 'HIGH',
          exploitationTypes: ['COUNTY_LINES'],
          rationale: 'Phones, money and older contacts.',
        },
      },
    );
    await app.dataSource.query(
      `INSERT INTO audit_event (user_id, agency_id, action, subject_type, subject_id, child_id, route)
       SELECT $1, $2, 'read', 'Child', $3::text, $3::uuid, 'INVOLVED' FROM generate_series(1, 101)`,
      [dsl.user.id, dsl.agency!.id, kai],
    );
  });
  afterAll(() => app.stop());

  const fullPage = (connection: { edges: unknown[]; pageInfo: { hasNextPage: boolean } }) => {
    expect(connection.edges).toHaveLength(100);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  };

  it('answers children(first: 100) with every field of a child and of its first page of concerns', async () => {
    const { children } = await dsl.client.ok(CHILDREN);
    fullPage(children);
    const first = children.edges.find((edge: any) => edge.node.id === kai).node;
    expect(first.concerns.edges).toHaveLength(20);
    expect(first.currentRisk.assessedBy.memberships[0].agency.id).toBe(dsl.agency!.id);
    expect(first.identifiers).toEqual([{ scheme: 'LOCAL_AUTHORITY', value: 'LA-1' }]);
  });

  it('answers concerns(first: 100) with every field of a concern, its amendments and its child', async () => {
    const { child } = await dsl.client.ok(CONCERNS, { id: kai });
    fullPage(child.concerns);
    const nodes = child.concerns.edges.map((edge: any) => edge.node);
    const amendment = nodes.find((node: any) => node.amends);
    expect(amendment.amends.recordedBy.id).toBe(dsl.user.id);
    expect(nodes.find((node: any) => node.id === amendment.amends.id)?.amendedBy).toEqual([
      expect.objectContaining({ id: amendment.id }),
    ]);
    expect(nodes[0].child.id).toBe(kai);
  });

  it('answers auditTrail(first: 100) with every field of an event, its person and its agency', async () => {
    const { auditTrail } = await dsl.client.ok(AUDIT_TRAIL, { id: kai });
    fullPage(auditTrail);
    expect(auditTrail.edges[0].node.user.memberships[0].agency.id).toBe(dsl.agency!.id);
  });

  it('refuses two such pages of children in one request, as any query over the cost limit', async () => {
    const twice = await dsl.client.query(
      `query { a: ${CHILDREN_PAGE} b: ${CHILDREN_PAGE} } ${CHILD} ${CONCERN} ${USER}`,
    );
    expect(twice.status).toBe(400);
    expect(twice.errors).toEqual([{ message: LIMIT_REFUSAL, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('answers the same pages when first is a variable, whose value is unknown until the request runs', async () => {
    const query = CHILDREN.replace('query {', 'query ($first: Int) {').replace('first: 100', 'first: $first');
    fullPage((await dsl.client.ok(query, { first: 100 })).children);
  });

  describe('a page size over 100 or under 1', () => {
    const connections: Array<[string, string, () => Record<string, unknown>, () => SignedIn]> = [
      ['children', 'query ($first: Int) { children(first: $first) { edges { cursor } } }', () => ({}), () => dsl],
      [
        'Child.concerns',
        'query ($id: ID!, $first: Int) { child(id: $id) { concerns(first: $first) { edges { cursor } } } }',
        () => ({ id: kai }),
        () => dsl,
      ],
      [
        'auditTrail',
        'query ($id: ID!, $first: Int) { auditTrail(childId: $id, first: $first) { edges { cursor } } }',
        () => ({ id: kai }),
        () => dsl,
      ],
      [
        'staffAccessLog',
        'query ($id: ID!, $first: Int) { staffAccessLog(userId: $id, first: $first) { edges { cursor } } }',
        () => ({ id: dsl.user.id }),
        () => admin,
      ],
    ];

    const expectRefused = (res: GraphQLResponse) => {
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: 'first must be from 1 to 100',
          extensions: { code: 'BAD_USER_INPUT', field: 'first' },
        }),
      ]);
    };

    it.each(connections)('is BAD_USER_INPUT naming first and saying 100 for %s', async (_, query, variables, who) => {
      for (const first of [101, 0, -1, 1000]) expectRefused(await who().client.query(query, { ...variables(), first }));
    });

    it('is refused the same way when written into the query, however much the page would hold', async () => {
      expectRefused(await dsl.client.query(CHILDREN.replace('first: 100', 'first: 101')));
      expectRefused(await dsl.client.query(CONCERNS.replace('first: 100', 'first: 5000'), { id: kai }));
    });

    it('is not refused at 1, nor when first is null or left out (the default page)', async () => {
      const [children, concerns] = connections;
      for (const first of [1, null, undefined]) {
        expect(codeOf(await dsl.client.query(children[1], { first }))).toBeUndefined();
        expect(codeOf(await dsl.client.query(concerns[1], { id: kai, first }))).toBeUndefined();
      }
      const page = await dsl.client.ok(
        '{ children { edges { cursor } } auditTrail(childId: "' + kai + '") { edges { cursor } } }',
      );
      expect(page.children.edges).toHaveLength(20);
      expect(page.auditTrail.edges).toHaveLength(50);
    });
  });

  it('states the maximum and the default of every first argument in the schema', () => {
    const schema = app.nest.get(GraphQLSchemaHost).schema;
    const firsts = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.values(type.getFields()).map((field) => [type.name, field] as const))
      .flatMap(([type, field]) =>
        field.args.filter((arg) => arg.name === 'first').map((arg) => [type, field.name, arg] as const),
      );
    expect(firsts.map(([type, field]) => `${type}.${field}`).sort()).toEqual([
      'Child.concerns',
      'Query.auditTrail',
      'Query.children',
      'Query.staffAccessLog',
    ]);
    for (const [, , arg] of firsts) {
      expect(arg.description).toMatch(/at most 100\b/);
      expect(arg.defaultValue).toEqual(expect.any(Number));
    }
  });
});
