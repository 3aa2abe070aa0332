import { Role } from '../common/enums/agencies';

interface NavigationEntry {
  key: string;
  href: string;
  text: string;
  /** Shown only to a person holding one of these roles in the acting agency (as `me { roles }` answers). */
  roles?: readonly Role[];
  /** Shown only to a platform admin. */
  platformAdmin?: true;
}

/**
 * The service navigation. An entry names the roles whose work it is, so nobody is offered a page that would only
 * answer "Page not found"; what the page then shows is the API's to decide.
 */
const ENTRIES: readonly NavigationEntry[] = [
  { key: 'children', href: '/', text: 'My children' },
  { key: 'register', href: '/register', text: 'Register a child' },
  { key: 'requests', href: '/requests', text: 'Involvement requests' },
  {
    key: 'break-glass-reviews',
    href: '/break-glass-reviews',
    text: 'Break-glass reviews',
    roles: [Role.SAFEGUARDING_LEAD, Role.AGENCY_ADMIN],
  },
  {
    key: 'conferences',
    href: '/conferences',
    text: 'My conferences',
    roles: [
      Role.SAFEGUARDING_LEAD,
      Role.PRACTITIONER,
      Role.SOCIAL_WORKER,
      Role.POLICE_OFFICER,
      Role.PROSECUTOR,
      Role.CONFERENCE_CHAIR,
    ],
  },
  { key: 'statistics', href: '/statistics', text: 'Statistics', roles: [Role.ANALYST] },
  { key: 'people', href: '/people', text: 'People', roles: [Role.AGENCY_ADMIN] },
  { key: 'agencies', href: '/agencies', text: 'Agencies', platformAdmin: true },
];

/** The navigation items for govukServiceNavigation, the page's own marked active. */
export function navigationFor(
  header: { roles: string[]; platformAdmin: boolean } | undefined,
  active: unknown,
): Array<{ href: string; text: string; active: boolean }> {
  if (!header) return [];
  const roles = new Set(header.roles);
  const offered = (entry: NavigationEntry) =>
    entry.platformAdmin ? header.platformAdmin : !entry.roles || entry.roles.some((role) => roles.has(role));
  return ENTRIES.filter(offered).map((entry) => ({
    href: entry.href,
    text: entry.text,
    active: entry.key === active,
  }));
}
