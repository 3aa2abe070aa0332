import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AccessRoute, loadChildAccess } from '../access/child-access';
import { involvementKindsDisclosedTo } from '../access/child-record.rules';
import { childReadingMembership } from '../access/roles';
import type { AgencyKind } from '../agencies/agencies.enums';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { isUuid } from '../database/postgres';
import type { AuditEventConnection, AuditEventType, AuditVerification } from './audit.types';

export const DEFAULT_AUDIT_PAGE = 50;
/** Rows per statement while verifying: memory stays bounded however long the chain grows. */
const VERIFY_BATCH = 5000;
const MAX_SEQ = 2n ** 63n - 1n;
/** Names each walk's cursor uniquely: two verifications may share one request's transaction. */
let walks = 0;

interface Page {
  limit: number;
  /** Events older than this seq (newest first). */
  before: string | null;
}

interface EventRow {
  seq: string;
  at: Date;
  action: string;
  subject_type: string;
  subject_id: string | null;
  child_id: string | null;
  route: AccessRoute | null;
  break_glass: boolean;
  hash: Buffer;
  user_id: string | null;
  user_email: string | null;
  user_display_name: string | null;
  user_active: boolean | null;
  user_platform_admin: boolean | null;
  agency_id: string | null;
  agency_name: string | null;
  agency_kind: AgencyKind | null;
  agency_local_authority: string | null;
  agency_first_responder: boolean | null;
  agency_active: boolean | null;
}

interface ChainRow {
  seq: string;
  lane: number;
  prev_seq: string | null;
  prev_hash: Buffer;
  hash: Buffer;
  intact: boolean;
}

function pageOf(limit: number, after: string | null | undefined): Page {
  // A seq is a bigint: nineteen digits can still overflow it, which PostgreSQL would answer with an internal error.
  if (after != null && !(/^[1-9][0-9]{0,18}$/.test(after) && BigInt(after) <= MAX_SEQ)) {
    throw new BadUserInputError('after is not a cursor from this list', 'after');
  }
  return { limit, before: after ?? null };
}

function toEvent(row: EventRow): AuditEventType {
  return {
    seq: row.seq,
    at: row.at,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    childId: row.child_id,
    route: row.route,
    breakGlass: row.break_glass,
    hash: row.hash.toString('hex'),
    user: row.user_id
      ? {
          id: row.user_id,
          email: row.user_email!,
          displayName: row.user_display_name!,
          active: row.user_active!,
          platformAdmin: row.user_platform_admin!,
        }
      : null,
    agency: row.agency_id
      ? {
          id: row.agency_id,
          name: row.agency_name!,
          kind: row.agency_kind!,
          localAuthority: row.agency_local_authority,
          firstResponder: row.agency_first_responder!,
          active: row.agency_active!,
        }
      : null,
  };
}

/** The seq of the first bad event if `row` does not continue its lane from `head`, else null. */
function brokenLink(row: ChainRow, seq: bigint, head: { seq: bigint; hash: Buffer } | undefined): bigint | null {
  const prevSeq = row.prev_seq === null ? null : BigInt(row.prev_seq);
  if (!row.intact) return seq;
  if (prevSeq === null) return head ? seq : row.prev_hash.length === 0 ? null : seq;
  if (!head || prevSeq > head.seq) return prevSeq;
  if (prevSeq < head.seq) return head.seq;
  return row.prev_hash.equals(head.hash) ? null : head.seq;
}

/** One value that pins every lane's newest event, to be recorded outside the database. */
function digestOfHeads(heads: Map<number, { seq: bigint; hash: Buffer }>): string {
  const digest = createHash('sha256');
  for (const lane of [...heads.keys()].sort((a, b) => a - b)) digest.update(heads.get(lane)!.hash);
  return digest.digest('hex');
}

/** Reading the audit log: a staff member's access log, a child's audit trail, and verifying the chain. */
@Injectable()
export class AuditService {
  /** What one of the admin's own people accessed while acting for the admin's agency, newest first. */
  async staffAccessLog(
    ctx: Scope,
    userId: string,
    first: number,
    after?: string | null,
  ): Promise<AuditEventConnection> {
    // The policy admitted an AGENCY_ADMIN; what it reads is confined to its own agency by the SQL below.
    const agencyId = ctx.signedIn.actor.membership?.agencyId;
    if (!agencyId) throw new ForbiddenError();
    const page = pageOf(first, after);
    const manager = await ctx.manager();
    // A person who never belonged to the admin's agency does not exist for it.
    const member = isUuid(userId)
      ? await manager.query(`SELECT 1 FROM membership WHERE user_id = $1 AND agency_id = $2`, [userId, agencyId])
      : [];
    if (member.length === 0) throw new NotFoundError('User', userId);
    return this.events(manager, 'e.user_id = $1 AND e.agency_id = $2', [userId, agencyId], page);
  }

  /**
   * Who read or changed a child's record, and through which route, newest first: transparency for the leads and
   * social workers of the agencies holding the case. Anyone else who reaches the child is FORBIDDEN; a child
   * they do not reach is NOT_FOUND.
   */
  async auditTrail(ctx: Scope, childId: string, first: number, after?: string | null): Promise<AuditEventConnection> {
    const page = pageOf(first, after);
    const access = await loadChildAccess(ctx, childId);
    const membership = childReadingMembership(ctx.actor);
    if (!access || !membership) throw new NotFoundError('Child', childId);
    if (access.route !== AccessRoute.INVOLVED) {
      throw new ForbiddenError('Only agencies involved with the child read its audit trail');
    }
    // An event names its agency, and that an agency with no involvement (a police force searching for the child,
    // or reading it through another agency's grant) takes an interest is itself sensitive: the trail shows such an
    // agency only where the viewer may learn of its involvement anyway (DESIGN §4, matching), or holds a grant the
    // viewer's agency made. Emergency access is shown whoever used it: the involved agencies review it.
    return this.events(
      await ctx.manager(),
      `e.child_id = $1
       AND (e.agency_id IS NULL OR e.agency_id = $2 OR e.break_glass
            OR EXISTS (SELECT 1 FROM involvement i WHERE i.child_id = e.child_id AND i.agency_id = e.agency_id)
            OR EXISTS (SELECT 1 FROM access_grant g
                        WHERE g.child_id = e.child_id AND g.grantee_agency_id = e.agency_id AND g.granting_agency_id = $2)
            OR EXISTS (SELECT 1 FROM agency g WHERE g.id = e.agency_id AND g.kind = ANY($3::text[])))`,
      [childId, membership.agencyId, involvementKindsDisclosedTo(membership.agencyKind)],
      page,
    );
  }

  /**
   * Walks the log once in seq order, in batches, following each lane's chain (migration AuditLog), and names the
   * first event that breaks one: an event whose hash is not the hash of its content and its predecessor's hash
   * (altered, or moved to another seq); an event whose recorded predecessor is not the lane's previous event
   * (an event removed: the missing seq is named; or one inserted: the intruder is named); or an event whose
   * predecessor was rewritten together with its hash.
   *
   * The batches are fetched from one cursor, so the whole walk reads one snapshot. Separate statements would each
   * see the log as it is then: seq is drawn before commit, so an event committed between two batches, below the
   * first batch's last seq, would be missed, and its lane's next event would then look as if its predecessor had
   * been removed. In one snapshot each lane is a complete prefix (a lane's appends commit in seq order).
   */
  async verifyChain(ctx: Scope): Promise<AuditVerification> {
    const manager = await ctx.manager();
    const cursor = `audit_chain_walk_${++walks}`;
    await manager.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR
         SELECT e.seq, e.lane, e.prev_seq, e.prev_hash, e.hash, audit_event_digest(e) = e.hash AS intact
           FROM audit_event e ORDER BY e.seq`,
    );
    const verification = await this.walk(() => manager.query(`FETCH ${VERIFY_BATCH} FROM ${cursor}`));
    await manager.query(`CLOSE ${cursor}`);
    return verification;
  }

  private async walk(nextBatch: () => Promise<ChainRow[]>): Promise<AuditVerification> {
    const heads = new Map<number, { seq: bigint; hash: Buffer }>();
    let last = 0n;
    let checked = 0;
    const result = (firstInvalid: bigint | null): AuditVerification => ({
      valid: firstInvalid === null,
      eventsChecked: checked,
      firstInvalidSeq: firstInvalid === null ? null : String(firstInvalid),
      headSeq: firstInvalid === null && checked > 0 ? String(last) : null,
      headHash: firstInvalid === null && checked > 0 ? digestOfHeads(heads) : null,
    });
    for (;;) {
      const rows = await nextBatch();
      for (const row of rows) {
        checked += 1;
        const seq = BigInt(row.seq);
        const broken = brokenLink(row, seq, heads.get(row.lane));
        if (broken !== null) return result(broken);
        heads.set(row.lane, { seq, hash: row.hash });
        last = seq;
      }
      if (rows.length < VERIFY_BATCH) return result(null);
    }
  }

  /** One page of events matching `where` (parameters $1..$n), newest first, keyset on seq. */
  private async events(
    manager: EntityManager,
    where: string,
    params: unknown[],
    page: Page,
  ): Promise<AuditEventConnection> {
    const n = params.length;
    const rows: EventRow[] = await manager.query(
      `SELECT e.seq, e.at, e.action, e.subject_type, e.subject_id, e.child_id, e.route, e.break_glass, e.hash,
              u.id AS user_id, u.email AS user_email, u.display_name AS user_display_name,
              u.active AS user_active, u.platform_admin AS user_platform_admin,
              a.id AS agency_id, a.name AS agency_name, a.kind AS agency_kind,
              a.local_authority AS agency_local_authority, a.first_responder AS agency_first_responder,
              a.active AS agency_active
         FROM audit_event e
         LEFT JOIN app_user u ON u.id = e.user_id
         LEFT JOIN agency a ON a.id = e.agency_id
        WHERE ${where} AND ($${n + 1}::bigint IS NULL OR e.seq < $${n + 1}::bigint)
        ORDER BY e.seq DESC
        LIMIT $${n + 2}`,
      [...params, page.before, page.limit + 1],
    );
    const nodes = rows.slice(0, page.limit).map(toEvent);
    return {
      edges: nodes.map((node) => ({ cursor: node.seq, node })),
      pageInfo: { hasNextPage: rows.length > page.limit, endCursor: nodes.at(-1)?.seq ?? null },
    };
  }
}
