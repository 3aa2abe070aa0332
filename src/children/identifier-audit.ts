import { type AccessRoute, viaBreakGlass } from '../access/child-access';
import type { Scope } from '../access/scope';
import type { AuditLog } from '../audit/log/audit-log.service';
import type { AddedIdentifier } from './children.repository';

/**
 * Identifiers that joined a record someone else keeps (a registration by an agency already involved, or an
 * accepted involvement request): one event each, so the involved agencies see who added which kind of identifier
 * to their child. The event names the identifier's row and its scheme, never the number: the trail shows it to
 * whoever sees that scheme (audit.visibility.ts). `route` is the actor's route to the child.
 */
export function recordIdentifiersAdded(
  audit: AuditLog,
  ctx: Scope,
  childId: string,
  route: AccessRoute | null,
  added: readonly AddedIdentifier[],
): void {
  for (const { id, scheme } of added) {
    audit.record(ctx, {
      action: 'addIdentifier',
      subjectType: 'ChildIdentifier',
      subjectId: id,
      purpose: scheme,
      childId,
      route,
      breakGlass: viaBreakGlass(route),
    });
  }
}
