import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import {
  getNamedType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  isInputObjectType,
} from 'graphql';
import { codeOf, SignedIn, TestApp } from '../libs/testing/src';
import type { GraphQLResponse } from '../libs/testing/src/graphql-client';
import { addMonths, dateInEnglandAndWales } from '../libs/working-days/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';
import { IdentifierScheme } from '../src/common/enums/children';
import { characterCount } from '../src/common/text';

/**
 * Every text a client sends is limited in characters as the database counts them (PostgreSQL's length(): code
 * points), so text at the limit is accepted by the code and stored by the database, one character more is
 * BAD_USER_INPUT naming the field, and no text of any kind is an internal error. The texts are enumerated from
 * the schema (every String field of every input type, every String argument), the limits read from the input
 * classes' validation metadata and compared with the database's CHECK on the column they fill: a text input added
 * to the schema without a probe below fails this test.
 */

/** What the limits are read from: class-validator's record of a decorator on a property. */
interface ValidationMetadata {
  propertyName: string;
  name?: string;
  constraints: unknown[];
}

type Result = GraphQLResponse;

interface Probe {
  /** The field refused, as the error names it (or one of its elements, `input.aliases[0]`). */
  field: string;
  /** Limits the schema's metadata cannot say (arguments checked by services, a regex): in characters. */
  limits?: { min?: number; max?: number };
  /** The column the text is stored in, whose CHECK must allow exactly the same lengths. */
  column?: { table: string; column: string };
  /** Characters that text at the limit is written in; `word` (the default): no spaces, `email`: an address. */
  alphabet?: 'word' | 'email';
  send(value: string): Promise<Result>;
}

/** Texts that are not written by a person and stored, and so have no character limit of their own. */
const UNLIMITED: Record<string, string> = {
  'RecordConcernInput.indicators': 'codes checked against the indicator list',
  'Mutation.login(email)': 'compared with stored addresses, never stored',
  'Mutation.login(password)': 'checked against a hash, never stored',
  'Mutation.acceptInvitation(password)': 'hashed before it is stored; its limits are the password rules',
  'Mutation.acceptInvitation(token)': 'compared by hash, never stored',
  'Mutation.changePassword(currentPassword)': 'checked against a hash, never stored',
  'Mutation.changePassword(newPassword)': 'hashed before it is stored; its limits are the password rules',
  'Mutation.resetPassword(password)': 'hashed before it is stored; its limits are the password rules',
  'Mutation.resetPassword(token)': 'compared by hash, never stored',
};

/** Opaque cursors issued by the server (`after`) are checked by whoever decodes them. */
const isCursor = (name: string) => /\(after\)$/.test(name);

/** Code points that NFC leaves alone and that are no space, control or format character, astral ones included. */
const WORD_CHARACTER = fc
  .oneof(
    fc.integer({ min: 0x61, max: 0x7a }),
    fc.integer({ min: 0xe0, max: 0xf6 }),
    fc.integer({ min: 0x4e00, max: 0x9fff }),
    fc.integer({ min: 0x1f600, max: 0x1f64f }),
    fc.integer({ min: 0x1d400, max: 0x1d433 }),
    fc.integer({ min: 0x20000, max: 0x2a6df }),
  )
  .map((codePoint) => String.fromCodePoint(codePoint));

const wordOf = (length: number) => fc.string({ unit: WORD_CHARACTER, minLength: length, maxLength: length });

/** Any text at all, up to `max` code points: controls, NUL, combining marks, every plane. */
const anyText = (max: number) => fc.string({ unit: 'binary', maxLength: max });

let emailSerial = 0;
/** A valid address of exactly `length` characters, a new one each time. */
function emailOf(length: number): string {
  const local = `p${String(emailSerial++).padStart(6, '0')}`;
  let domain = '';
  let remaining = length - local.length - 1 - '.test'.length;
  while (remaining > 0) {
    const label = Math.min(remaining > 64 ? 62 : remaining, 62);
    domain += 'b'.repeat(label);
    remaining -= label;
    if (remaining > 0) {
      domain += '.';
      remaining -= 1;
      if (remaining === 0) domain += 'c';
    }
  }
  return `${local}@${domain}.test`;
}

/** The String inputs of the schema, as `InputType.field` and `Mutation.operation(argument)`. */
function textInputs(app: TestApp): string[] {
  const schema = app.nest.get(GraphQLSchemaHost).schema;
  const names: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values((type as GraphQLInputObjectType).getFields())) {
        if (getNamedType(field.type) === GraphQLString) names.push(`${type.name}.${field.name}`);
      }
    }
  }
  for (const root of [schema.getQueryType(), schema.getMutationType()] as GraphQLObjectType[]) {
    for (const field of Object.values(root.getFields())) {
      for (const arg of field.args) {
        const named = getNamedType(arg.type);
        if (named instanceof GraphQLScalarType && named === GraphQLString) {
          names.push(`${root.name}.${field.name}(${arg.name})`);
        }
      }
    }
  }
  return names.sort();
}

/** The character limits an input class declares on a field (MaxCharacters, MinCharacters). */
function declaredLimits(input: string): { min?: number; max?: number } {
  const [typeName, fieldName] = input.split('.');
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<abstract new () => unknown, ValidationMetadata[]>;
  };
  const target = [...storage.validationMetadatas.keys()].find((candidate) => candidate.name === typeName);
  if (!target) return {};
  const limits: { min?: number; max?: number } = {};
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(
    target,
    '',
    true,
    false,
  ) as ValidationMetadata[]) {
    if (metadata.propertyName !== fieldName) continue;
    if (metadata.name === 'maxCharacters') limits.max = metadata.constraints[0] as number;
    if (metadata.name === 'minCharacters') limits.min = metadata.constraints[0] as number;
  }
  return limits;
}

describe('text limits, over every text input, with astral characters', () => {
  let app: TestApp;
  let probes: Record<string, Probe>;
  /** Per probe, the texts it has had accepted, as a unique index compares them. */
  const stored = new Map<string, Set<string>>();
  const sameness = (text: string) => text.trim().toLowerCase();

  beforeAll(async () => {
    app = await TestApp.start();
    const { factories } = app;
    const dsl = await factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    const schoolAdmin = await factories.signedIn({ agency: dsl.agency!, roles: [Role.AGENCY_ADMIN] });
    const youth = await factories.agency({ kind: AgencyKind.YOUTH_SERVICE });
    const officer = await factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    const platformAdmin = await factories.platformAdmin();
    const analyst = await factories.signedIn({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, roles: [Role.ANALYST] });
    const childId = await factories.children.child({ involved: [dsl.agency!] });
    const prosecutor = await factories.signedIn({ kind: AgencyKind.PROSECUTION, roles: [Role.PROSECUTOR] });
    await factories.sharing.grant({ childId, from: dsl.agency!, by: dsl.user, to: prosecutor.agency! });
    const assess = (text: Record<string, string>) =>
      mutate(prosecutor, 'recordNonPunishmentAssessment', 'NonPunishmentAssessmentInput', {
        childId,
        offence: 'Possession with intent to supply',
        offenceDate: '2026-01-05',
        scheduleFourOffence: false,
        reasonToBelieveVictim: true,
        reasonToBelieveBasis: 'Found out of area with a line phone.',
        duressEvidence: false,
        section45DefenceAvailable: false,
        publicInterestRationale: 'Not in the public interest.',
        outcome: 'NO_PROSECUTION',
        ...text,
      });

    const chair = await factories.signedIn({ kind: AgencyKind.CHILDRENS_SOCIAL_CARE, roles: [Role.CONFERENCE_CHAIR] });
    const conferenceChildId = await factories.children.child({
      involved: [chair.agency!, dsl.agency!, officer.agency!],
    });
    /**
     * A conference of its own for every send, arranged by factory: a text is stored only once on each (decided
     * once, cancelled once, one report per agency). The school and the police accepted; in session, both are
     * present with the chair unless told otherwise, which is quorum with children's social care in the chair.
     */
    const convened = () =>
      factories.conferences.convened({ childId: conferenceChildId, chair, invitees: [dsl, officer] });
    const inSession = (present = [dsl, officer]) =>
      factories.conferences.inSession({ childId: conferenceChildId, chair, invitees: [dsl, officer], present });
    const decide = async (text: Record<string, unknown>, present?: SignedIn[]) => {
      const { id, version } = await inSession(present);
      return mutate(chair, 'decideConference', 'DecideConferenceInput', {
        conferenceId: id,
        version,
        recommendation: 'VICTIM_PROTECTION',
        rationale: 'Kai is being exploited by a county line; he is a victim first.',
        actions: [],
        ...text,
      });
    };
    const action = (description: string) => ({
      description,
      ownerAgencyId: dsl.agency!.id,
      dueOn: addMonths(dateInEnglandAndWales(new Date()), 1),
    });

    const mutate = (who: SignedIn, operation: string, type: string, input: Record<string, unknown>) =>
      who.client.query(`mutation ($input: ${type}!) { ${operation}(input: $input) { __typename } }`, { input });
    const register = (input: Record<string, unknown>) =>
      mutate(dsl, 'registerChild', 'RegisterChildInput', {
        givenName: 'Kai',
        familyName: 'Test',
        basis: 'PUPIL',
        ...input,
      });
    const update = async (input: Record<string, unknown>) => {
      const [{ version }] = await app.dataSource.query(`SELECT version FROM child WHERE id = $1`, [childId]);
      return mutate(dsl, 'updateChild', 'UpdateChildInput', { id: childId, version, ...input });
    };
    const match = (input: Record<string, unknown>) =>
      dsl.client.query(`query ($input: ChildMatchInput!) { possibleChildMatches(input: $input) { childId } }`, {
        input: { givenName: 'Kai', familyName: 'Test', ...input },
      });
    const grant = (purpose: string) =>
      mutate(dsl, 'grantAccess', 'GrantAccessInput', {
        childId,
        granteeAgencyId: youth.id,
        tiers: ['STANDARD'],
        lawfulBasis: 'PUBLIC_TASK',
        purpose,
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      });
    let referenceSerial = 0;
    /**
     * A child the school keeps, with a local-authority reference of its own: a police request about it is filed
     * and its reason stored afresh (asking again about the same child would answer the pending request).
     */
    const schoolsChild = async () => {
      const id = await factories.children.child({ involved: [dsl.agency!] });
      const reference = `LA-TEXT-${referenceSerial++}`;
      await factories.children.identifier(id, IdentifierScheme.LOCAL_AUTHORITY, reference, dsl.agency!);
      return { id, reference };
    };
    const POLICE_REASON = 'Seen with an adult we are investigating for county lines.';
    const requestInvolvement = (childId: string, reason: string) =>
      officer.client.query(`mutation ($input: RequestInvolvementInput!) { requestInvolvement(input: $input) { id } }`, {
        input: { childId, basis: 'INVESTIGATION', reason },
      });
    const concern = (narrative: string) =>
      mutate(dsl, 'recordConcern', 'RecordConcernInput', {
        childId,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'COUNTY_LINES',
        indicators: [],
        recruitmentSetting: 'STREET',
        riskLevel: 'LOW',
        sensitivity: 'STANDARD',
        narrative,
      });

    probes = {
      'ChildFilter.search': {
        field: 'filter.search',
        send: (search) =>
          dsl.client.query(`query ($search: String) { children(filter: { search: $search }) { edges { cursor } } }`, {
            search,
          }),
      },
      'ChildIdentifierInput.value': {
        field: 'input.identifiers[0].value',
        column: { table: 'child_identifier', column: 'value' },
        send: (value) => register({ identifiers: [{ scheme: 'LOCAL_AUTHORITY', value }] }),
      },
      'ChildMatchInput.givenName': { field: 'input.givenName', send: (givenName) => match({ givenName }) },
      'ChildMatchInput.familyName': { field: 'input.familyName', send: (familyName) => match({ familyName }) },
      'CreateAgencyInput.name': {
        field: 'input.name',
        column: { table: 'agency', column: 'name' },
        send: (name) => mutate(platformAdmin, 'createAgency', 'CreateAgencyInput', { name, kind: 'SCHOOL' }),
      },
      'CreateAgencyInput.localAuthority': {
        field: 'input.localAuthority',
        column: { table: 'agency', column: 'local_authority' },
        send: (localAuthority) =>
          mutate(platformAdmin, 'createAgency', 'CreateAgencyInput', {
            name: `School ${emailSerial++}`,
            kind: 'SCHOOL',
            localAuthority,
          }),
      },
      'GrantAccessInput.purpose': {
        field: 'input.purpose',
        limits: { min: 20 },
        column: { table: 'access_grant', column: 'purpose' },
        send: grant,
      },
      'InviteUserInput.email': {
        field: 'input.email',
        alphabet: 'email',
        send: (email) =>
          mutate(schoolAdmin, 'inviteUser', 'InviteUserInput', {
            agencyId: dsl.agency!.id,
            email,
            displayName: 'New Person',
            roles: ['PRACTITIONER'],
          }),
      },
      'InviteUserInput.displayName': {
        field: 'input.displayName',
        column: { table: 'invitation', column: 'display_name' },
        send: (displayName) =>
          mutate(schoolAdmin, 'inviteUser', 'InviteUserInput', {
            agencyId: dsl.agency!.id,
            email: emailOf(30),
            displayName,
            roles: ['PRACTITIONER'],
          }),
      },
      'RecordConcernInput.narrative': {
        field: 'input.narrative',
        column: { table: 'concern', column: 'narrative' },
        send: concern,
      },
      'NonPunishmentAssessmentInput.offence': {
        field: 'input.offence',
        column: { table: 'non_punishment_assessment', column: 'offence' },
        send: (offence) => assess({ offence }),
      },
      'NonPunishmentAssessmentInput.reasonToBelieveBasis': {
        field: 'input.reasonToBelieveBasis',
        column: { table: 'non_punishment_assessment', column: 'reason_to_believe_basis' },
        send: (reasonToBelieveBasis) => assess({ reasonToBelieveBasis }),
      },
      'NonPunishmentAssessmentInput.publicInterestRationale': {
        field: 'input.publicInterestRationale',
        column: { table: 'non_punishment_assessment', column: 'public_interest_rationale' },
        send: (publicInterestRationale) => assess({ publicInterestRationale }),
      },
      'SubmitReportInput.content': {
        field: 'input.content',
        column: { table: 'conference_report', column: 'content' },
        send: async (content) =>
          mutate(dsl, 'submitConferenceReport', 'SubmitReportInput', {
            conferenceId: (await convened()).id,
            content,
            sensitivity: 'STANDARD',
          }),
      },
      'DecideConferenceInput.rationale': {
        field: 'input.rationale',
        column: { table: 'conference', column: 'rationale' },
        send: (rationale) => decide({ rationale }),
      },
      'DecideConferenceInput.quorumOverrideReason': {
        field: 'input.quorumOverrideReason',
        column: { table: 'conference', column: 'quorum_override_reason' },
        // Given only where it is needed: the school alone beside the chair, two agencies.
        send: (quorumOverrideReason) => decide({ quorumOverrideReason }, [dsl]),
      },
      'PlanActionInput.description': {
        field: 'input.actions[0].description',
        column: { table: 'plan_action', column: 'description' },
        send: (description) => decide({ actions: [action(description)] }),
      },
      'DissentInput.note': {
        field: 'input.dissents[0].note',
        column: { table: 'conference_dissent', column: 'note' },
        send: (note) => decide({ dissents: [{ agencyId: officer.agency!.id, note }] }),
      },
      'RecordRiskAssessmentInput.rationale': {
        field: 'input.rationale',
        column: { table: 'risk_assessment', column: 'rationale' },
        send: (rationale) =>
          mutate(dsl, 'recordRiskAssessment', 'RecordRiskAssessmentInput', {
            childId,
            level: 'LOW',
            exploitationTypes: [],
            rationale,
          }),
      },
      'RefuseAccessInput.reason': {
        field: 'input.reason',
        limits: { min: 20 },
        column: { table: 'access_refusal', column: 'reason' },
        send: (reason) =>
          mutate(dsl, 'refuseAccess', 'RefuseAccessInput', { childId, requestingAgencyId: youth.id, reason }),
      },
      'RegisterChildInput.givenName': {
        field: 'input.givenName',
        column: { table: 'child', column: 'given_name' },
        send: (givenName) => register({ givenName }),
      },
      'RegisterChildInput.familyName': {
        field: 'input.familyName',
        column: { table: 'child', column: 'family_name' },
        send: (familyName) => register({ familyName }),
      },
      'RegisterChildInput.reason': {
        field: 'input.reason',
        limits: { min: 20 },
        column: { table: 'involvement_request', column: 'reason' },
        // Stored only when the registration finds a known child, where it files a request.
        send: async (reason) => {
          const known = await schoolsChild();
          return mutate(officer, 'registerChild', 'RegisterChildInput', {
            givenName: 'Kai',
            familyName: 'Test',
            basis: 'INVESTIGATION',
            reason,
            identifiers: [{ scheme: 'LOCAL_AUTHORITY', value: known.reference }],
          });
        },
      },
      'RequestInvolvementInput.reason': {
        field: 'input.reason',
        limits: { min: 20 },
        column: { table: 'involvement_request', column: 'reason' },
        send: async (reason) => requestInvolvement((await schoolsChild()).id, reason),
      },
      'RegisterChildInput.aliases': { field: 'input.aliases', send: (alias) => register({ aliases: [alias] }) },
      'RegisterChildInput.gender': {
        field: 'input.gender',
        column: { table: 'child', column: 'gender' },
        send: (gender) => register({ gender }),
      },
      'RegisterChildInput.address': {
        field: 'input.address',
        column: { table: 'child', column: 'address' },
        send: (address) => register({ address }),
      },
      'UpdateChildInput.givenName': { field: 'input.givenName', send: (givenName) => update({ givenName }) },
      'UpdateChildInput.familyName': { field: 'input.familyName', send: (familyName) => update({ familyName }) },
      'UpdateChildInput.aliases': { field: 'input.aliases', send: (alias) => update({ aliases: [alias] }) },
      'UpdateChildInput.gender': { field: 'input.gender', send: (gender) => update({ gender }) },
      'UpdateChildInput.address': { field: 'input.address', send: (address) => update({ address }) },
      'Mutation.breakGlass(reason)': {
        field: 'reason',
        limits: { min: 20, max: 2000 },
        column: { table: 'break_glass_access', column: 'reason' },
        // A child of its own each time: a second use while the first is open is refused.
        send: async (reason) =>
          officer.client.query(
            `mutation ($childId: ID!, $reason: String!) { breakGlass(childId: $childId, reason: $reason) { id } }`,
            { childId: await factories.children.child({ involved: [dsl.agency!] }), reason },
          ),
      },
      'Query.exploitationStatistics(localAuthority)': {
        field: 'localAuthority',
        limits: { max: 200 },
        send: (localAuthority) =>
          analyst.client.query(
            `query ($localAuthority: String) {
               exploitationStatistics(from: "2026-01-01", to: "2026-01-31", localAuthority: $localAuthority) { concerns }
             }`,
            { localAuthority },
          ),
      },
      'Mutation.decideInvolvementRequest(note)': {
        field: 'note',
        limits: { min: 1, max: 2000 },
        column: { table: 'involvement_request', column: 'decision_note' },
        // Declined, where a note is needed, by the school's lead, of a request of its own each time.
        send: async (note) => {
          const filed = await requestInvolvement((await schoolsChild()).id, POLICE_REASON);
          if (!filed.data) throw new Error(`the request to decide was not filed: ${JSON.stringify(filed.errors)}`);
          const { id } = (filed.data as { requestInvolvement: { id: string } }).requestInvolvement;
          return dsl.client.query(
            `mutation ($id: ID!, $note: String!) { decideInvolvementRequest(id: $id, accept: false, note: $note) { id } }`,
            { id, note },
          );
        },
      },
      'Mutation.cancelConference(reason)': {
        field: 'reason',
        limits: { min: 1, max: 2000 },
        column: { table: 'conference', column: 'cancellation_reason' },
        send: async (reason) =>
          chair.client.query(
            `mutation ($id: ID!, $reason: String!) { cancelConference(id: $id, reason: $reason) { id } }`,
            {
              id: (await convened()).id,
              reason,
            },
          ),
      },
      'Mutation.reviewBreakGlass(outcome)': {
        field: 'outcome',
        limits: { min: 1, max: 2000 },
        column: { table: 'break_glass_review', column: 'outcome' },
        send: async (outcome) => {
          const use = await factories.sharing.breakGlass({ childId, user: officer.user, agency: officer.agency! });
          return dsl.client.query(
            `mutation ($id: ID!, $outcome: String!) { reviewBreakGlass(id: $id, outcome: $outcome) { id } }`,
            {
              id: use.id,
              outcome,
            },
          );
        },
      },
    };
    // A text a probe had stored may be refused the next time as a duplicate (an agency's name is unique, case
    // aside): that is the service keeping its rule, not a text it failed to handle.
    for (const [input, probe] of Object.entries(probes)) {
      const send = probe.send;
      stored.set(input, new Set());
      probe.send = async (value) => {
        const result = await send(value);
        if (!result.errors) stored.get(input)!.add(sameness(value));
        return result;
      };
    }
  }, 600_000);
  afterAll(() => app.stop());

  /** What a refusal of `probe`'s text says: its code, and whether it names the probe's field. */
  const refusal = (input: string, result: Result) => {
    const field = result.errors?.[0].extensions?.field;
    const named = field === probes[input].field || String(field).startsWith(`${probes[input].field}[`);
    return [input, codeOf(result), named];
  };

  const limitsOf = (input: string) => ({ ...declaredLimits(input), ...probes[input].limits });

  /** The lengths the column's CHECK allows, read from the database: [min, max]. */
  async function checkedLengths({ table, column }: { table: string; column: string }): Promise<[number, number]> {
    const rows: Array<{ def: string }> = await app.dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`,
      [table],
    );
    const length = `length\\((?:btrim\\()?${column}\\)?\\)`;
    const def = rows.map((row) => row.def).find((text) => new RegExp(length).test(text));
    if (!def) throw new Error(`no length CHECK on ${table}.${column}`);
    const min = new RegExp(`${length} >= (\\d+)`).exec(def)?.[1];
    const max = new RegExp(`${length} <= (\\d+)`).exec(def)?.[1];
    return [Number(min ?? 0), Number(max)];
  }

  it('every text input of the schema has a probe, or a reason it needs no limit', () => {
    const unprobed = textInputs(app).filter((input) => !probes[input] && !UNLIMITED[input] && !isCursor(input));
    expect(unprobed).toEqual([]);
  });

  it('every probed text has a maximum in code, and where it is stored, the same limits as its CHECK', async () => {
    for (const input of Object.keys(probes)) {
      const { min, max } = limitsOf(input);
      expect([input, typeof max]).toEqual([input, 'number']);
      const column = probes[input].column;
      if (column) expect([input, await checkedLengths(column)]).toEqual([input, [min ?? 1, max]]);
    }
  });

  it('text at the limit, in code points, is accepted and stored; one more is BAD_USER_INPUT naming the field', async () => {
    for (const [input, probe] of Object.entries(probes)) {
      const { max } = limitsOf(input);
      const atLimit = probe.alphabet === 'email' ? fc.constant(null).map(() => emailOf(max!)) : wordOf(max!);
      const over = probe.alphabet === 'email' ? fc.constant(null).map(() => emailOf(max! + 1)) : wordOf(max! + 1);
      await fc.assert(
        fc.asyncProperty(atLimit, async (value) => {
          expect(characterCount(value)).toBe(max);
          const result = await probe.send(value);
          expect([input, result.errors ?? null]).toEqual([input, null]);
        }),
        { numRuns: 3 },
      );
      await fc.assert(
        fc.asyncProperty(over, async (value) => {
          const result = await probe.send(value);
          expect([input, codeOf(result), result.errors?.[0].extensions?.field]).toEqual([
            input,
            'BAD_USER_INPUT',
            probe.field,
          ]);
        }),
        { numRuns: 2 },
      );
    }
  }, 600_000);

  it('text just under a minimum is BAD_USER_INPUT naming the field, counted in code points', async () => {
    for (const [input, probe] of Object.entries(probes)) {
      const { min } = limitsOf(input);
      if (!min || min < 2) continue;
      // Astral characters only: in UTF-16 units these would pass a minimum they do not reach.
      const astral = fc
        .string({
          unit: fc.integer({ min: 0x1f600, max: 0x1f64f }).map((codePoint) => String.fromCodePoint(codePoint)),
          minLength: min - 1,
          maxLength: min - 1,
        })
        .filter((value) => value.length >= min);
      await fc.assert(
        fc.asyncProperty(astral, async (value) => {
          const result = await probe.send(value);
          expect([input, codeOf(result), result.errors?.[0].extensions?.field]).toEqual([
            input,
            'BAD_USER_INPUT',
            probe.field,
          ]);
        }),
        { numRuns: 2 },
      );
    }
  }, 600_000);

  it('no text of any kind is an internal error: it is accepted or refused naming the field', async () => {
    for (const [input, probe] of Object.entries(probes)) {
      const { max } = limitsOf(input);
      await fc.assert(
        fc.asyncProperty(anyText(max! + 2), async (value) => {
          const result = await probe.send(value);
          if (result.errors) {
            if (codeOf(result) === 'CONFLICT' && stored.get(input)!.has(sameness(value))) return;
            expect(refusal(input, result)).toEqual([input, 'BAD_USER_INPUT', true]);
          }
        }),
        { numRuns: 6 },
      );
    }
  }, 600_000);
});
