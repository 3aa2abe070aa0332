import type { Role } from '../common/enums/agencies';
import { CHILD_READING_ROLES } from './roles';

/**
 * Who hears of a non-punishment outcome: the chair of the child's latest conference (the conference weighed the
 * child as a victim and its plan may turn on the charging decision), and everyone who works with children in each
 * agency involved with the child, as for a conference's decision. Only the outcome is said, never the reasoning
 * (non-punishment.rules.ts), and never the child's name: a notification stays its addressee's after their access
 * ends (src/access/README.md).
 */
export const NON_PUNISHMENT_AUDIENCE_ROLES: readonly Role[] = CHILD_READING_ROLES;
