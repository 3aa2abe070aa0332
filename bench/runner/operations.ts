import { Client } from 'pg';
import { BENCH_PASSWORD } from '../dataset/load';
import { idOf, Layout } from '../dataset/steps';
import type { Scale } from '../dataset/scale';

/** One benchmarked request kind: its next request body (varied over what its actor reaches) and where it goes. */
export interface Operation {
  name: string;
  /** 'service' is the GraphQL service under test; 'baseline' the hand-written SQL server. */
  target: 'service' | 'baseline';
  token?: string;
  body: () => string;
}

const CHILD_READ = `query ChildRead($id: ID!) {
  child(id: $id) {
    id givenName familyName dateOfBirth gender address flags
    identifiers { scheme value }
    involvements { basis since until agency { name kind } }
    currentRisk { level assessedAt }
    concerns(first: 20) { edges { node { id occurredAt category riskLevel sensitivity narrative } } pageInfo { hasNextPage } }
  }
}`;
const CHILD_LIST = `query ChildList {
  children(first: 50, filter: { minRisk: HIGH }) { edges { node { id givenName familyName currentRisk { level } } } }
}`;
const MATCH = `query Match($input: ChildMatchInput!) {
  possibleChildMatches(input: $input) { childId initials birthYear score matchedOn }
}`;
const RECORD = `mutation Record($input: RecordConcernInput!) { recordConcern(input: $input) { id } }`;
const CONFERENCE = `query Pack($id: ID!) {
  conference(id: $id) {
    id kind status scheduledFor dueBy quorumMet
    reports { agency { name } author { displayName } content sensitivity submittedAt }
    attendance { present user { displayName } agency { name } }
  }
}`;

const graphql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** Round robin over `items`, so consecutive requests touch different rows. */
function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('an operation has no records to vary over');
  let at = 0;
  return () => items[at++ % items.length];
}

/** A spelling mistake of the kind a practitioner makes: two neighbouring letters swapped. */
export function misspell(name: string): string {
  if (name.length < 4) return `${name}e`;
  const at = 1 + (name.length % (name.length - 2));
  return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
}

/** Signs in as the person and agency (none for the platform admin) whose ids the SQL expressions give. */
async function signIn(serviceUrl: string, db: Client, person: string, agency: string | null): Promise<string> {
  const { rows } = await db.query<{ email: string }>(`SELECT email FROM app_user WHERE id = ${person}`);
  const { rows: agencies } = await db.query<{ id: string | null }>(`SELECT ${agency ?? 'NULL::uuid'} AS id`);
  const response = await fetch(`${serviceUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: graphql(
      `
        mutation Login($email: String!, $password: String!, $agencyId: ID) {
          login(email: $email, password: $password, agencyId: $agencyId) {
            token
          }
        }
      `,
      { email: rows[0].email, password: BENCH_PASSWORD, agencyId: agencies[0].id },
    ),
  });
  const body = (await response.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!body.data) throw new Error(`login as person ${person} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.token;
}

/**
 * Asks the service, as the dataset's platform admin, to verify the whole audit chain, and throws unless it is
 * valid: the load computes the chain itself (not the trigger), so a load that chained differently must not pass.
 */
export async function verifyAuditChain(serviceUrl: string, db: Client): Promise<number> {
  const token = await signIn(serviceUrl, db, idOf('person', '0'), null);
  const response = await fetch(`${serviceUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: graphql('{ verifyAuditChain { valid eventsChecked firstInvalidSeq invalidSeqs } }'),
  });
  const body = (await response.json()) as {
    data?: { verifyAuditChain: { valid: boolean; eventsChecked: number; firstInvalidSeq: string | null } };
    errors?: unknown;
  };
  const verification = body.data?.verifyAuditChain;
  if (!verification?.valid)
    throw new Error(`the loaded audit chain is not valid: ${JSON.stringify(verification ?? body.errors)}`);
  return verification.eventsChecked;
}

/**
 * The operations of issue 14, each signed in as a person of the role it is about (of the first local authority)
 * and varied over up to `poolSize` records that person reaches.
 */
export async function operations(serviceUrl: string, db: Client, scale: Scale, poolSize: number): Promise<Operation[]> {
  const l = new Layout(scale);
  const social = l.agencyOf('social', '1');
  const police = l.agencyOf('police', '1');
  const socialWorker = await signIn(serviceUrl, db, idOf('person', l.person(social, '4')), idOf('agency', social));
  const officer = await signIn(serviceUrl, db, idOf('person', l.person(police, '4')), idOf('agency', police));
  // Conferences follow every k-th child, so the chair with most of them is found, not assumed.
  const { rows: chairs } = await db.query<{ person: string; agency: string }>(
    `SELECT chair_id AS person, chair_agency_id AS agency FROM conference WHERE status = 'DECIDED'
      GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const chair = await signIn(serviceUrl, db, `'${chairs[0].person}'::uuid`, `'${chairs[0].agency}'::uuid`);

  const { rows: children } = await db.query<{ id: string; given_name: string; family_name: string; dob: string }>(
    `SELECT c.id, c.given_name, c.family_name, c.date_of_birth::text AS dob
       FROM involvement i JOIN child c ON c.id = i.child_id
      WHERE i.agency_id = ${idOf('agency', social)} AND i.until IS NULL
      ORDER BY i.child_id LIMIT $1`,
    [poolSize],
  );
  const { rows: conferences } = await db.query<{ id: string }>(
    `SELECT id FROM conference WHERE chair_id = $1 AND status = 'DECIDED' ORDER BY id LIMIT $2`,
    [chairs[0].person, poolSize],
  );
  const child = cycle(children);
  const conference = cycle(conferences);
  const baselineChild = cycle(children);
  return [
    { name: 'ceiling', target: 'service', token: socialWorker, body: () => graphql('{ __typename }') },
    { name: 'child-read', target: 'service', token: socialWorker, body: () => graphql(CHILD_READ, { id: child().id }) },
    { name: 'child-list', target: 'service', token: officer, body: () => graphql(CHILD_LIST) },
    {
      name: 'match',
      target: 'service',
      token: socialWorker,
      body: () => {
        const { given_name, family_name, dob } = child();
        return graphql(MATCH, {
          input: { givenName: given_name, familyName: misspell(family_name), dateOfBirth: dob },
        });
      },
    },
    {
      name: 'record-concern',
      target: 'service',
      token: socialWorker,
      body: () =>
        graphql(RECORD, {
          input: {
            childId: child().id,
            category: 'CRIMINAL_EXPLOITATION',
            indicators: ['MISSING_EPISODE'],
            narrative: 'Seen near the station late at night with older associates; reported by a neighbour.',
            occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
            recruitmentSetting: 'STREET',
            riskLevel: 'MEDIUM',
            sensitivity: 'STANDARD',
          },
        }),
    },
    {
      name: 'conference-pack',
      target: 'service',
      token: chair,
      body: () => graphql(CONFERENCE, { id: conference().id }),
    },
    { name: 'sql-baseline', target: 'baseline', body: () => JSON.stringify({ id: baselineChild().id }) },
  ];
}
