import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const REGISTER = `mutation ($input: RegisterChildInput!) {
  registerChild(input: $input) {
    child { id givenName familyName aliases version }
    involvementRequest { id }
    possibleMatches { childId }
  }
}`;
const UPDATE = `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { id givenName familyName aliases } }`;
const SEARCH = `query ($search: String!) { children(filter: { search: $search }) { edges { node { id } } } }`;
const MATCHES = `query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId matchedOn } }`;
const CHILD = `query ($id: ID!) { child(id: $id) { id accessRoute } }`;
const GRANT = `mutation ($input: GrantAccessInput!) { grantAccess(input: $input) { id } }`;
const GRANTS = `query ($childId: ID!) { accessGrants(childId: $childId) { id active } }`;
const INVOLVEMENTS = `query ($id: ID!) { child(id: $id) { involvements { id until agency { id } } } }`;
const END = `mutation ($id: ID!, $until: Date!) { endInvolvement(involvementId: $id, until: $until) { id } }`;

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const ids = (data: any) => data.children.edges.map((edge: any) => edge.node.id);

describe('clean shared data', () => {
  let app: TestApp;
  let dsl: SignedIn;
  let youthWorker: SignedIn;

  beforeAll(async () => {
    app = await TestApp.start();
    dsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    youthWorker = await app.factories.signedIn({ kind: AgencyKind.YOUTH_SERVICE, roles: [Role.SAFEGUARDING_LEAD] });
  });
  afterAll(() => app.stop());

  /** A new child, registered by the school: each name here is a child nobody has registered. */
  const register = async (input: Record<string, unknown>) => {
    const { registerChild } = await dsl.client.ok(REGISTER, { input: { basis: 'PUPIL', ...input } });
    expect(registerChild).toMatchObject({ involvementRequest: null, possibleMatches: [] });
    return registerChild.child;
  };

  describe('names are normalised', () => {
    it('a name typed with a combining accent is stored precomposed (NFC), as the same name typed otherwise', async () => {
      const child = await register({
        givenName: 'Zoe\u0308',
        familyName: 'Nu\u0301n\u0303ez',
        aliases: ['Zo\u00EB N'],
      });
      expect(child.givenName).toBe('Zo\u00EB');
      expect(child.familyName).toBe('N\u00FA\u00F1ez');
      const [row] = await app.dataSource.query(`SELECT given_name, family_name FROM child WHERE id = $1`, [child.id]);
      expect(row).toEqual({ given_name: 'Zo\u00EB', family_name: 'N\u00FA\u00F1ez' });
    });

    it('zero-width, byte-order and bidirectional characters are removed, and whitespace runs become one space', async () => {
      const child = await register({
        givenName: '\u200BAmir\u200D\u2060',
        familyName: '\uFEFFHa\u200Csan\u202E \t\u00A0',
        aliases: ['A\u2066mir\u2069  the\nkid'],
      });
      expect(child).toMatchObject({ givenName: 'Amir', familyName: 'Hasan', aliases: ['Amir the kid'] });
      const updated = await dsl.client.ok(UPDATE, {
        input: { id: child.id, version: child.version, givenName: 'A\u200Bmir', aliases: ['\u200E\u200FAmo'] },
      });
      expect(updated.updateChild).toMatchObject({ givenName: 'Amir', aliases: ['Amo'] });
    });

    it.each([
      ['givenName', { givenName: 'Ali\u0007' }, 'input.givenName'],
      [
        'familyName (a C1 control, as UTF-8 read as Latin-1 leaves)',
        { familyName: 'Si\u00C3\u0081n' },
        'input.familyName',
      ],
      ['an alias', { aliases: ['fine', 'bad\u001B[0m'] }, 'input.aliases[1]'],
    ])('a control character in %s is BAD_USER_INPUT naming it, and nothing is written', async (_, input, field) => {
      const [{ before }] = await app.dataSource.query(`SELECT count(*)::int AS before FROM child`);
      const result = await dsl.client.query(REGISTER, {
        input: { givenName: 'Ali', familyName: 'Khan', basis: 'PUPIL', ...input },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe(field);
      const [{ after }] = await app.dataSource.query(`SELECT count(*)::int AS after FROM child`);
      expect(after).toBe(before);
    });

    it('a name of only invisible characters is blank', async () => {
      const result = await dsl.client.query(REGISTER, {
        input: { givenName: '\u200B\u200B', familyName: 'Khan', basis: 'PUPIL' },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.givenName');
    });

    it('matching normalises the names it is given, and refuses control characters in them', async () => {
      const result = await dsl.client.query(MATCHES, { input: { givenName: 'Ali', familyName: 'Kh\u0085an' } });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.familyName');
    });

    it('a name that composition lengthens past the limit is BAD_USER_INPUT, not an internal error', async () => {
      // U+0958 is excluded from composition: NFC writes it as two code points.
      const result = await dsl.client.query(REGISTER, {
        input: { givenName: '\u0958'.repeat(60), familyName: 'Khan', basis: 'PUPIL' },
      });
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('input.givenName');
    });
  });

  describe('search and matching ignore accents and case', () => {
    let siobhan: string;

    beforeAll(async () => {
      siobhan = (await register({ givenName: 'Siobhán', familyName: 'Ó Ceallaigh', aliases: ['Shivá'] })).id;
    });

    it.each(['Siobhan', 'siobhan', 'SIOBHÁN', 'o ceallaigh', 'Siobha\u0301n', 'shiva'])(
      'the list search for "%s" finds Siobhán Ó Ceallaigh',
      async (search) => {
        expect(ids(await dsl.client.ok(SEARCH, { search }))).toEqual([siobhan]);
      },
    );

    it('a search for another name does not', async () => {
      expect(ids(await dsl.client.ok(SEARCH, { search: 'Siobhra' }))).toEqual([]);
    });

    it('matching "Siobhan O Ceallaigh" finds her on both names', async () => {
      const [match] = (
        await youthWorker.client.ok(MATCHES, { input: { givenName: 'Siobhan', familyName: 'O CEALLAIGH' } })
      ).possibleChildMatches;
      expect(match).toEqual({ childId: siobhan, matchedOn: ['givenName', 'familyName'] });
    });

    it('the search columns are indexed as they are queried', async () => {
      const plan = async (sql: string) => {
        const runner = app.dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query(`SET LOCAL enable_seqscan = off`);
          const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN ${sql}`);
          return rows.map((row) => row['QUERY PLAN']).join('\n');
        } finally {
          await runner.rollbackTransaction();
          await runner.release();
        }
      };
      expect(await plan(`SELECT id FROM child WHERE full_name ILIKE public.f_unaccent('%siobhán%')`)).toContain(
        'child_full_name_trgm_idx',
      );
      expect(await plan(`SELECT id FROM child WHERE alias_names ILIKE public.f_unaccent('%shivá%')`)).toContain(
        'child_alias_names_trgm_idx',
      );
      expect(
        await plan(`SELECT id FROM child WHERE family_name_unaccented % public.f_unaccent('Ó Ceallaigh')`),
      ).toContain('child_family_name_trgm_idx');
      expect(
        await plan(
          `SELECT id FROM child WHERE public.dmetaphone(family_name_unaccented) = public.dmetaphone('O Ceallaigh')
              AND public.dmetaphone(given_name_unaccented) = public.dmetaphone('Siobhan')`,
        ),
      ).toContain('child_name_sounds_idx');
    });
  });

  describe('a lapsed grant', () => {
    it('stays lapsed when the granting agency is involved with the child again', async () => {
      const child = await register({ givenName: 'Leah', familyName: 'Mackenzie' });
      await dsl.client.ok(GRANT, {
        input: {
          childId: child.id,
          granteeAgencyId: youthWorker.agency!.id,
          tiers: ['STANDARD'],
          lawfulBasis: 'PUBLIC_TASK',
          purpose: 'Youth workers see her at the station most evenings and plan outreach with the school.',
          expiresAt: inDays(30),
        },
      });
      expect((await youthWorker.client.ok(CHILD, { id: child.id })).child.accessRoute).toBe('GRANTED');

      const { involvements } = (await dsl.client.ok(INVOLVEMENTS, { id: child.id })).child;
      await dsl.client.ok(END, { id: involvements[0].id, until: today() });
      expect((await youthWorker.client.ok(CHILD, { id: child.id })).child).toBeNull();

      // The child comes back to the school: a new involvement, a new relationship.
      await app.factories.children.involvement(child.id, dsl.agency!, { since: today() });
      expect((await dsl.client.ok(CHILD, { id: child.id })).child.accessRoute).toBe('INVOLVED');
      expect((await youthWorker.client.ok(CHILD, { id: child.id })).child).toBeNull();
      expect((await dsl.client.ok(GRANTS, { childId: child.id })).accessGrants).toEqual([
        { id: expect.any(String), active: false },
      ]);

      // Sharing again from the new involvement is a new decision, and works.
      await dsl.client.ok(GRANT, {
        input: {
          childId: child.id,
          granteeAgencyId: youthWorker.agency!.id,
          tiers: ['STANDARD'],
          lawfulBasis: 'PUBLIC_TASK',
          purpose: 'She is back at the school; youth workers again plan outreach with us.',
          expiresAt: inDays(30),
        },
      });
      expect((await youthWorker.client.ok(CHILD, { id: child.id })).child.accessRoute).toBe('GRANTED');
    });
  });
});
