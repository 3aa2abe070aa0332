import { AgencyKind, Role } from '../common/enums/agencies';
import { IdentifierScheme } from '../common/enums/children';
import type { Actor } from './actor';
import { buildAbility } from './app-ability';
import { RULE_SETS } from './ability.factory';
import { AccessRoute } from './child-access';
import { CHILD_ACTIONS, ChildAction } from './child-decisions';
import { identifierSchemesSeenBy, involvementKindsDisclosedTo, tiersSeenBy } from './child-record.rules';
import { DECIDING_ROLES, FALLBACK_DECIDING_KIND, identifiersItMayRecord } from './involvement-requests.decisions';
import { ROLE_AGENCY_KINDS } from './roles';
import { systemAbilities } from './system-actor';

/**
 * The permission model as a reviewer, a data protection officer or an auditor reads it: who (role × agency kind ×
 * route) may do what to which subject, and which tiers and fields they see. Every cell is computed from the
 * policy itself (the CASL rule sets, the route table and the field rules of src/access), so the committed
 * docs/access-matrix.md cannot drift from the code: `npm run access:check` fails when it is stale.
 */

const OWN_AGENCY = '00000000-0000-4000-8000-00000000a9e1';
const MATRIX_USER = '00000000-0000-4000-8000-0000000000u1';

function actorOf(kind: AgencyKind, roles: Role[], firstResponder = false): Actor {
  return {
    userId: MATRIX_USER,
    sessionId: '00000000-0000-4000-8000-0000000000s1',
    email: 'matrix@example.invalid',
    displayName: 'Matrix',
    platformAdmin: false,
    membership: { agencyId: OWN_AGENCY, agencyKind: kind, firstResponder, roles },
  };
}

const PLATFORM_ADMIN: Actor = {
  userId: MATRIX_USER,
  sessionId: '00000000-0000-4000-8000-0000000000s2',
  email: 'platform@example.invalid',
  displayName: 'Platform admin',
  platformAdmin: true,
  membership: null,
};

/** What a rule's condition says, in words: the actor's own agency, the actor themself, or the condition itself. */
function describeConditions(conditions: unknown): string {
  if (!conditions) return '';
  const text = JSON.stringify(conditions)
    .replaceAll(`"${OWN_AGENCY}"`, 'own agency')
    .replaceAll(`"${MATRIX_USER}"`, 'themself')
    .replace(/[{}"]/g, '')
    .replace(/\$(\w+)/g, '$1 ')
    .replace(/:/g, ': ')
    .replace(/,/g, ', ');
  return ` (${text})`;
}

/** The operations an actor's rules allow, one entry per rule: `action Subject (condition)`, `not ...` for a cannot. */
function operationsOf(actor: Actor): string[] {
  const ability = buildAbility(actor, RULE_SETS);
  return ability.rules.map((rule) => {
    const actions = ([] as string[]).concat(rule.action).join('/');
    const subject = ([] as string[]).concat(rule.subject as string | string[]).join('/');
    const fields = rule.fields ? ` ${([] as string[]).concat(rule.fields).join(', ')}` : '';
    return `${rule.inverted ? 'not ' : ''}${actions} ${subject}${fields}${describeConditions(rule.conditions)}`;
  });
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The roles an agency of this kind may give (roles with a statutory power belong to the agencies holding it). */
function rolesOf(kind: AgencyKind): Role[] {
  return Object.values(Role).filter((role) => ROLE_AGENCY_KINDS[role]?.includes(kind) ?? true);
}

function operationsByRole(): string {
  const rows: string[][] = [['platform admin', '(none)', operationsOf(PLATFORM_ADMIN).join('; ')]];
  for (const kind of Object.values(AgencyKind)) {
    for (const role of rolesOf(kind)) rows.push([role, kind, operationsOf(actorOf(kind, [role])).join('; ')]);
  }
  return table(['role', 'agency kind', 'operations its rules allow (before any route to a child)'], rows);
}

function childActionsByRoute(): string {
  const routes = Object.values(AccessRoute);
  const rows = (Object.keys(CHILD_ACTIONS) as ChildAction[]).map((action) => {
    const rule = CHILD_ACTIONS[action];
    return [
      action,
      `${rule.ability[0]} ${rule.ability[1]}`,
      ...routes.map((route) => (rule.routes.includes(route) ? 'yes' : 'FORBIDDEN')),
    ];
  });
  return table(['action on a child', 'needs the role rule', ...routes], rows);
}

function roleRulesForChildActions(): string {
  const actions = Object.keys(CHILD_ACTIONS) as ChildAction[];
  const rows: string[][] = [];
  for (const kind of Object.values(AgencyKind)) {
    for (const role of rolesOf(kind)) {
      const ability = buildAbility(actorOf(kind, [role]), RULE_SETS);
      rows.push([
        role,
        kind,
        ...actions.map((action) => (ability.can(...CHILD_ACTIONS[action].ability) ? 'yes' : '–')),
      ]);
    }
  }
  return table(['role', 'agency kind', ...actions], rows);
}

function whatRoutesOpen(): string {
  const rows = Object.values(AgencyKind).map((kind) => [
    kind,
    tiersSeenBy(kind).join(', '),
    'the tiers the grant names',
    'STANDARD',
    identifierSchemesSeenBy(kind).join(', ') + `, ${IdentifierScheme.OTHER} it recorded`,
    involvementKindsDisclosedTo(kind).join(', '),
  ]);
  return table(
    [
      'viewer agency kind',
      'tiers by INVOLVED and BREAK_GLASS',
      'tiers by GRANTED',
      'tiers by CONFERENCE',
      'identifier schemes shown',
      'involvements shown without the full record',
    ],
    rows,
  );
}

/** Which roles of each agency kind refer a child to the NRM, with the agency flagged first responder or not. */
function nrmReferrers(): string {
  const referring = (kind: AgencyKind, firstResponder: boolean) =>
    rolesOf(kind)
      .filter((role) => buildAbility(actorOf(kind, [role], firstResponder), RULE_SETS).can('refer', 'NrmReferral'))
      .join(', ') || '–';
  const rows = Object.values(AgencyKind).map((kind) => [kind, referring(kind, false), referring(kind, true)]);
  return table(
    ['agency kind', 'roles that refer', 'roles that refer when the agency is flagged first responder'],
    rows,
  );
}

function involvementRequests(): string {
  const rows = Object.values(AgencyKind).map((kind) => [
    kind,
    identifiersItMayRecord(
      kind,
      Object.values(IdentifierScheme).map((scheme) => ({ scheme })),
    )
      .map((identifier) => identifier.scheme)
      .join(', '),
  ]);
  return `Knowing an identifier opens nothing: a registration whose identifier finds a known child, and
\`requestInvolvement\`, file a request and open no route. It is decided by the ${DECIDING_ROLES.join(' and ')} of the
agencies actively involved with the child (never the requesting agency's own), or, where none of them has one, by
those of the ${FALLBACK_DECIDING_KIND} agencies of the requester's local authority. While it is pending the requester
sees only what a match discloses, and may record concerns on the child (no route: the answer is all it reads back).
On acceptance its agency becomes INVOLVED, and of the identifiers it gave those in these schemes join the record:

${table(['requesting agency kind', 'identifier schemes it adds on acceptance'], rows)}`;
}

function systemActors(): string {
  const rows = systemAbilities().map(({ actor, rules }) => [
    actor,
    rules.map((rule) => `${rule.action} ${rule.subject}`).join('; '),
  ]);
  return `A job acts as a system actor: no person, no agency and no route to any child, only these abilities. Its
audit events name no one and carry \`job:<actor>:<job id>\` as their request.

${table(['system actor', 'what it may do'], rows)}`;
}

export function accessMatrix(): string {
  return `# Access matrix

Generated from the policy in \`src/access\` by \`npm run access:matrix\`; \`npm run access:check\` (CI) fails when
this file is stale. Do not edit it by hand. DESIGN §4 is the model in words; this is what the code decides.

Default deny: an operation no rule allows is refused; a child the viewer reaches by no route does not exist for
it (NOT_FOUND, absent from lists and counts). Whatever its tier, an entry is always visible to the agency that
wrote it.

## What each route to a child opens, by the viewer's agency kind

The address is shown only through INVOLVED and BREAK_GLASS (the routes that open the whole record), and so is
every involvement; through GRANTED and CONFERENCE only the involvements in the last column, and the viewer's own.

${whatRoutesOpen()}

## Actions on one child record, by route

The role rule must allow the action too (next table). No route: NOT_FOUND.

${childActionsByRoute()}

## Actions on one child record, by role

${roleRulesForChildActions()}

## Who refers a child to the NRM

Through a route that opens \`refer\` (above); the referring agency alone records the decisions on its referral.

${nrmReferrers()}

## Involvement requests

${involvementRequests()}

## Every operation each role's rules allow

${operationsByRole()}

## System actors (jobs)

${systemActors()}
`;
}
