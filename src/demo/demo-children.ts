import type { EntityManager } from 'typeorm';
import { IdentifierScheme, InvolvementBasis } from '../common/enums/children';
import { nhsNumberCheckDigit, upnCheckLetter } from '../children/identifiers';
import type { DemoPeople } from './demo-people';

/**
 * The children of the Northbridge demo story (reference/demo-story.md). Every name, address and number is
 * invented. Identifiers are valid by the real check algorithms (so registration and matching behave as in
 * life) but cannot belong to anyone: NHS numbers are in the 999 range the NHS never issues, and UPNs use the
 * unassigned local authority number 990.
 */

interface DemoInvolvement {
  /** The agency key of DEMO_AGENCIES. */
  agency: string;
  basis: InvolvementBasis;
  since: string;
  until?: string;
}

interface DemoChild {
  /** The key concerns seeding uses to find the child. */
  key: string;
  givenName: string;
  familyName: string;
  aliases?: string[];
  dateOfBirth: string;
  gender: string;
  address: string;
  /** Email of the person who registered the child (the first involvement's agency). */
  registeredBy: string;
  /** UPN serial at the child's school (establishment, admission year, serial), when a school knows the child. */
  upn?: { establishment: string; year: string; serial: string };
  /** Six digits after the never-issued 999 prefix; the check digit is computed. */
  nhs?: string;
  localAuthority?: string;
  policeNationalComputer?: string;
  involvements: DemoInvolvement[];
}

/** Unassigned local authority number: no real pupil has a UPN that starts with it. */
const DEMO_LA_NUMBER = '990';
const ACADEMY = '4001';
const ST_ANNES = '2001';

const { PUPIL, OPEN_CASE, INVESTIGATION, REFERRAL, HEALTH_CARE, YOUTH_WORK, SUPERVISION } = InvolvementBasis;

export const DEMO_CHILDREN: readonly DemoChild[] = [
  {
    key: 'kai',
    givenName: 'Kai',
    familyName: 'Thompson',
    aliases: ['K-Money'],
    dateOfBirth: '2013-05-09',
    gender: 'male',
    address: '14 Canal Row, Northbridge NB4 2QT',
    registeredBy: 'dsl@academy.demo',
    upn: { establishment: ACADEMY, year: '19', serial: '041' },
    nhs: '100001',
    localAuthority: 'NB-CS-20417',
    policeNationalComputer: '26/117734K',
    involvements: [
      { agency: 'academy', basis: PUPIL, since: '2024-09-04' },
      { agency: 'youth-service', basis: YOUTH_WORK, since: '2025-06-12' },
      { agency: 'police', basis: INVESTIGATION, since: '2026-11-03' },
      { agency: 'health', basis: HEALTH_CARE, since: '2013-05-09' },
      { agency: 'childrens-services', basis: OPEN_CASE, since: '2026-11-05' },
    ],
  },
  {
    key: 'mia',
    givenName: 'Mia',
    familyName: 'Clarke',
    dateOfBirth: '2017-01-22',
    gender: 'female',
    address: '3 Orchard Close, Northbridge NB2 7HL',
    registeredBy: 'dsl@st-annes.demo',
    upn: { establishment: ST_ANNES, year: '21', serial: '017' },
    involvements: [
      { agency: 'st-annes', basis: PUPIL, since: '2021-09-06' },
      { agency: 'childrens-services', basis: REFERRAL, since: '2026-10-14' },
    ],
  },
  {
    key: 'tyler',
    givenName: 'Tyler',
    familyName: 'Brooks',
    dateOfBirth: '2011-08-30',
    gender: 'male',
    address: 'Flat 6, Weaver House, Northbridge NB1 5EW',
    registeredBy: 'dsl@health.demo',
    nhs: '100004',
    localAuthority: 'NB-CS-19882',
    involvements: [
      { agency: 'health', basis: HEALTH_CARE, since: '2011-08-30' },
      { agency: 'childrens-services', basis: OPEN_CASE, since: '2026-09-18' },
      { agency: 'police', basis: INVESTIGATION, since: '2026-10-02' },
    ],
  },
  {
    key: 'chantelle',
    givenName: 'Chantelle',
    familyName: 'Ward',
    aliases: ['Channy'],
    dateOfBirth: '2012-04-17',
    gender: 'female',
    address: 'Elm Lodge Children’s Home, Northbridge NB6 1AA',
    registeredBy: 'social-worker@childrens-services.demo',
    upn: { establishment: ACADEMY, year: '23', serial: '108' },
    localAuthority: 'NB-CS-18230',
    involvements: [
      { agency: 'childrens-services', basis: OPEN_CASE, since: '2025-02-03' },
      { agency: 'academy', basis: PUPIL, since: '2023-09-06' },
      { agency: 'police', basis: INVESTIGATION, since: '2026-08-21' },
      { agency: 'safe-passage', basis: REFERRAL, since: '2026-09-01' },
    ],
  },
  // Two spellings of one name: the youth service registered her without knowing the school had already done so.
  {
    key: 'leah',
    givenName: 'Leah',
    familyName: 'Mackenzie',
    dateOfBirth: '2012-11-02',
    gender: 'female',
    address: '27 Station Road, Northbridge NB3 8PD',
    registeredBy: 'dsl@academy.demo',
    upn: { establishment: ACADEMY, year: '23', serial: '122' },
    involvements: [{ agency: 'academy', basis: PUPIL, since: '2023-09-06' }],
  },
  {
    key: 'lea',
    givenName: 'Lea',
    familyName: 'McKenzie',
    dateOfBirth: '2012-11-02',
    gender: 'female',
    address: '27 Station Rd, Northbridge',
    registeredBy: 'practitioner@youth-service.demo',
    involvements: [{ agency: 'youth-service', basis: YOUTH_WORK, since: '2026-10-20' }],
  },
  {
    key: 'ethan',
    givenName: 'Ethan',
    familyName: 'Walker',
    dateOfBirth: '2010-06-11',
    gender: 'male',
    address: '9 Foundry Lane, Northbridge NB5 3RS',
    registeredBy: 'practitioner@youth-justice.demo',
    policeNationalComputer: '25/093311B',
    involvements: [
      { agency: 'youth-justice', basis: SUPERVISION, since: '2026-03-16' },
      { agency: 'police', basis: INVESTIGATION, since: '2026-01-09' },
    ],
  },
  {
    key: 'oliver',
    givenName: 'Oliver',
    familyName: 'Hughes',
    dateOfBirth: '2014-02-25',
    gender: 'male',
    address: '51 Larch Avenue, Northbridge NB2 4JF',
    registeredBy: 'practitioner@academy.demo',
    upn: { establishment: ACADEMY, year: '25', serial: '007' },
    involvements: [{ agency: 'academy', basis: PUPIL, since: '2025-09-03' }],
  },
  {
    key: 'amelia',
    givenName: 'Amelia',
    familyName: 'Scott',
    dateOfBirth: '2015-09-14',
    gender: 'female',
    address: '8 Millbrook Court, Northbridge NB2 6TB',
    registeredBy: 'dsl@st-annes.demo',
    upn: { establishment: ST_ANNES, year: '20', serial: '033' },
    involvements: [{ agency: 'st-annes', basis: PUPIL, since: '2020-09-07' }],
  },
  {
    key: 'sophie',
    givenName: 'Sophie',
    familyName: 'Turner',
    dateOfBirth: '2013-07-03',
    gender: 'female',
    address: '2 Quarry Hill, Northbridge NB7 1LX',
    registeredBy: 'dsl@academy.demo',
    upn: { establishment: ACADEMY, year: '24', serial: '056' },
    involvements: [{ agency: 'academy', basis: PUPIL, since: '2024-09-04' }],
  },
  {
    key: 'reece',
    givenName: 'Reece',
    familyName: 'Dawson',
    dateOfBirth: '2011-12-19',
    gender: 'male',
    address: '66 Bridge Street, Northbridge NB1 2CG',
    registeredBy: 'practitioner@youth-service.demo',
    involvements: [{ agency: 'youth-service', basis: YOUTH_WORK, since: '2026-04-28' }],
  },
  {
    key: 'nathan',
    givenName: 'Nathan',
    familyName: 'Price',
    dateOfBirth: '2012-03-08',
    gender: 'male',
    address: '17 Cooper’s Yard, Northbridge NB5 9AN',
    registeredBy: 'dsl@academy.demo',
    upn: { establishment: ACADEMY, year: '23', serial: '131' },
    involvements: [
      { agency: 'academy', basis: PUPIL, since: '2023-09-06' },
      { agency: 'youth-justice', basis: SUPERVISION, since: '2025-11-10', until: '2026-05-10' },
    ],
  },
  {
    key: 'zainab',
    givenName: 'Zainab',
    familyName: 'Hussein',
    dateOfBirth: '2014-10-27',
    gender: 'female',
    address: '40 Tannery Walk, Northbridge NB3 2DU',
    registeredBy: 'dsl@academy.demo',
    upn: { establishment: ACADEMY, year: '25', serial: '019' },
    nhs: '100003',
    involvements: [
      { agency: 'academy', basis: PUPIL, since: '2025-09-03' },
      { agency: 'health', basis: HEALTH_CARE, since: '2014-10-27' },
    ],
  },
  {
    key: 'jayden',
    givenName: 'Jayden',
    familyName: 'Okafor',
    dateOfBirth: '2010-01-31',
    gender: 'male',
    address: '5 Ropewalk, Northbridge NB4 6FE',
    registeredBy: 'social-worker@childrens-services.demo',
    localAuthority: 'NB-CS-17541',
    involvements: [
      { agency: 'childrens-services', basis: OPEN_CASE, since: '2024-06-17' },
      { agency: 'youth-service', basis: YOUTH_WORK, since: '2025-01-13' },
    ],
  },
];

/** A demo UPN whose check letter is computed by the DfE algorithm. */
function demoUpn({ establishment, year, serial }: NonNullable<DemoChild['upn']>): string {
  const rest = `${DEMO_LA_NUMBER}${establishment}${year}${serial}`;
  const letter = upnCheckLetter(rest);
  if (!letter) throw new Error(`demo UPN ${rest} is malformed`);
  return `${letter}${rest}`;
}

/** A never-issued NHS number (999 prefix) with its modulus-11 check digit. */
function demoNhsNumber(six: string): string {
  const nine = `999${six}`;
  const check = nhsNumberCheckDigit(nine);
  if (check === null) throw new Error(`demo NHS number ${nine} has no valid check digit; pick other digits`);
  return `${nine}${check}`;
}

function identifiersOf(child: DemoChild): Array<[IdentifierScheme, string]> {
  const identifiers: Array<[IdentifierScheme, string]> = [];
  if (child.upn) identifiers.push([IdentifierScheme.UPN, demoUpn(child.upn)]);
  if (child.nhs) identifiers.push([IdentifierScheme.NHS_NUMBER, demoNhsNumber(child.nhs)]);
  if (child.localAuthority) identifiers.push([IdentifierScheme.LOCAL_AUTHORITY, child.localAuthority]);
  if (child.policeNationalComputer) {
    identifiers.push([IdentifierScheme.POLICE_NATIONAL_COMPUTER, child.policeNationalComputer]);
  }
  return identifiers;
}

/** Child ids by DEMO_CHILDREN key, for seeding their chronologies. */
export type DemoChildren = Record<string, string>;

/** Inserts the demo children with their identifiers and involvements, every child marked demo. */
export async function seedDemoChildren(manager: EntityManager, people: DemoPeople): Promise<DemoChildren> {
  const seeded: DemoChildren = {};
  for (const child of DEMO_CHILDREN) {
    const registeredBy = people.users[child.registeredBy];
    if (!registeredBy) throw new Error(`demo child ${child.key}: no demo person ${child.registeredBy}`);
    const [row] = await manager.query(
      `INSERT INTO child (given_name, family_name, aliases, date_of_birth, gender, address, demo, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, true, $7) RETURNING id`,
      [
        child.givenName,
        child.familyName,
        child.aliases ?? [],
        child.dateOfBirth,
        child.gender,
        child.address,
        registeredBy,
      ],
    );
    seeded[child.key] = row.id;
    const recordingAgency = people.agencies[child.involvements[0].agency];
    for (const [scheme, value] of identifiersOf(child)) {
      await manager.query(
        `INSERT INTO child_identifier (child_id, scheme, value, recorded_by_agency_id) VALUES ($1, $2, $3, $4)`,
        [row.id, scheme, value, recordingAgency],
      );
    }
    for (const involvement of child.involvements) {
      await manager.query(
        `INSERT INTO involvement (child_id, agency_id, basis, since, until, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          row.id,
          people.agencies[involvement.agency],
          involvement.basis,
          involvement.since,
          involvement.until ?? null,
          registeredBy,
        ],
      );
    }
  }
  return seeded;
}
