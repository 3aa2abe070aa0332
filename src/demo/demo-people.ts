import type { EntityManager } from 'typeorm';
import { AgencyKind, Role } from '../common/enums/agencies';

/** Fictional, printed at every start of a demo database, and never valid anywhere else. */
export const DEMO_PASSWORD = 'northbridge-demo-only';
export const DEMO_LOCAL_AUTHORITY = 'Northbridge';
export const DEMO_PLATFORM_ADMIN = 'admin@platform.demo';

interface DemoPerson {
  /** The part before the @: the role, so a newcomer can guess who to sign in as. */
  as: string;
  name: string;
  roles: Role[];
}

interface DemoAgency {
  /** The email domain, `<key>.demo`, and the key children seeding uses to find the agency. */
  key: string;
  name: string;
  kind: AgencyKind;
  firstResponder: boolean;
  people: DemoPerson[];
}

const admin = (name: string): DemoPerson => ({ as: 'admin', name, roles: [Role.AGENCY_ADMIN] });

/** The Northbridge agencies of reference/demo-story.md, each with one person per role it uses. */
export const DEMO_AGENCIES: readonly DemoAgency[] = [
  {
    key: 'academy',
    name: 'Northbridge Academy',
    kind: AgencyKind.SCHOOL,
    firstResponder: false,
    people: [
      admin('Alex Reed'),
      { as: 'dsl', name: 'Dana Shaw', roles: [Role.SAFEGUARDING_LEAD] },
      { as: 'practitioner', name: 'Tom Hale', roles: [Role.PRACTITIONER] },
    ],
  },
  {
    key: 'st-annes',
    name: "St Anne's Primary",
    kind: AgencyKind.SCHOOL,
    firstResponder: false,
    people: [admin('Priya Nair'), { as: 'dsl', name: 'Ruth Okafor', roles: [Role.SAFEGUARDING_LEAD] }],
  },
  {
    key: 'youth-service',
    name: 'Northbridge Youth Service',
    kind: AgencyKind.YOUTH_SERVICE,
    firstResponder: false,
    people: [admin('Sam Carter'), { as: 'practitioner', name: 'Jordan Blake', roles: [Role.PRACTITIONER] }],
  },
  {
    key: 'childrens-services',
    name: "Northbridge Children's Services",
    kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
    firstResponder: true,
    people: [
      admin('Morgan Lee'),
      { as: 'social-worker', name: 'Grace Adeyemi', roles: [Role.SOCIAL_WORKER] },
      { as: 'chair', name: 'Helen Marsh', roles: [Role.CONFERENCE_CHAIR] },
      { as: 'analyst', name: 'Ravi Patel', roles: [Role.ANALYST] },
    ],
  },
  {
    key: 'police',
    name: 'Northbridge Police',
    kind: AgencyKind.POLICE,
    firstResponder: true,
    people: [admin('Chris Doyle'), { as: 'officer', name: 'DC Amy Stone', roles: [Role.POLICE_OFFICER] }],
  },
  {
    key: 'cps',
    name: 'Crown Prosecution Service North',
    kind: AgencyKind.PROSECUTION,
    firstResponder: false,
    people: [admin('Pat Quinn'), { as: 'prosecutor', name: 'Elena Russo', roles: [Role.PROSECUTOR] }],
  },
  {
    key: 'health',
    name: 'Northbridge Health Trust',
    kind: AgencyKind.HEALTH,
    firstResponder: false,
    people: [
      admin('Jamie Ford'),
      { as: 'dsl', name: 'Nurse Lucy Grant', roles: [Role.SAFEGUARDING_LEAD] },
      { as: 'practitioner', name: 'Dr Omar Haddad', roles: [Role.PRACTITIONER] },
    ],
  },
  {
    key: 'youth-justice',
    name: 'Northbridge Youth Justice Team',
    kind: AgencyKind.YOUTH_JUSTICE,
    firstResponder: false,
    people: [admin('Kim Walsh'), { as: 'practitioner', name: 'Leon Price', roles: [Role.PRACTITIONER] }],
  },
  {
    key: 'safe-passage',
    name: 'Safe Passage',
    kind: AgencyKind.VOLUNTARY,
    firstResponder: true,
    people: [admin('Noor Hussain'), { as: 'practitioner', name: 'Beth Morgan', roles: [Role.PRACTITIONER] }],
  },
];

export const demoEmail = (agency: DemoAgency, person: DemoPerson) => `${person.as}@${agency.key}.demo`;

/** What children seeding builds on: ids by agency key and by email. */
export interface DemoPeople {
  agencies: Record<string, string>;
  users: Record<string, string>;
}

/** Inserts the demo agencies and people, every row marked demo. The caller checks they are not there yet. */
export async function seedDemoPeople(manager: EntityManager, passwordHash: string): Promise<DemoPeople> {
  const seeded: DemoPeople = { agencies: {}, users: {} };
  const [platformAdmin] = await manager.query(
    `INSERT INTO app_user (email, display_name, password_hash, platform_admin, demo)
     VALUES ($1, 'Platform Admin (demo)', $2, true, true) RETURNING id`,
    [DEMO_PLATFORM_ADMIN, passwordHash],
  );
  seeded.users[DEMO_PLATFORM_ADMIN] = platformAdmin.id;
  for (const agency of DEMO_AGENCIES) {
    const [row] = await manager.query(
      `INSERT INTO agency (name, kind, local_authority, first_responder, demo) VALUES ($1, $2, $3, $4, true)
       RETURNING id`,
      [agency.name, agency.kind, DEMO_LOCAL_AUTHORITY, agency.firstResponder],
    );
    seeded.agencies[agency.key] = row.id;
    for (const person of agency.people) {
      const email = demoEmail(agency, person);
      const [user] = await manager.query(
        `INSERT INTO app_user (email, display_name, password_hash, demo) VALUES ($1, $2, $3, true) RETURNING id`,
        [email, `${person.name} (demo)`, passwordHash],
      );
      await manager.query(`INSERT INTO membership (user_id, agency_id, roles) VALUES ($1, $2, $3)`, [
        user.id,
        row.id,
        person.roles,
      ]);
      seeded.users[email] = user.id;
    }
  }
  return seeded;
}
