import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { staffLogAgency, staffLogEvents, trailViewer, visibleTrailEvents } from '../access/audit.visibility';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../common/errors';
import type { Scope } from '../access/scope';
import { isUuid } from '../database/postgres';
import { AuditLog } from './log/audit-log.service';
import { AuditRepository, ChainRow, EventRow } from './log/audit.repository';
import type { AuditEventConnection, AuditEventType, AuditVerification } from './audit.types';

export const DEFAULT_AUDIT_PAGE = 50;
/** Rows per statement while verifying: memory stays bounded however long the chain grows. */
const VERIFY_BATCH = 5000;
const MAX_SEQ = 2n ** 63n - 1n;

interface Page {
  limit: number;
  /** Events older than this seq (newest first). */
  before: string | null;
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
    outcome: row.outcome,
    hash: row.hash.toString('hex'),
    user: row.user_id
      ? {
          id: row.user_id,
          email: row.user_email!,
          displayName: row.user_display_name!,
          active: row.user_active!,
          platformAdmin: row.user_platform_admin!,
          platformDeactivated: row.user_platform_deactivated!,
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

/** The seq of the bad event if `row` does not continue its lane from `head`, else null. */
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
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: AuditRepository,
  ) {}

  /** What one of the admin's own people accessed while acting for the admin's agency, newest first. */
  async staffAccessLog(
    ctx: Scope,
    userId: string,
    first: number,
    after?: string | null,
  ): Promise<AuditEventConnection> {
    // The policy admitted an AGENCY_ADMIN; what it reads is confined to its own agency (audit.visibility).
    const agencyId = staffLogAgency(ctx.signedIn.actor);
    if (!agencyId) throw new ForbiddenError();
    const page = pageOf(first, after);
    const manager = await ctx.manager();
    if (!isUuid(userId) || !(await this.repository.everMember(manager, userId, agencyId))) {
      throw new NotFoundError('User', userId);
    }
    // What the admin learns of its staff's work (which children they opened) is itself a read worth answering for.
    this.audit.record(ctx, { action: 'staffAccessLog', subjectType: 'User', subjectId: userId });
    const values: unknown[] = [];
    return this.events(ctx, staffLogEvents('e', userId, agencyId, values), values, page);
  }

  /**
   * Who read or changed a child's record, and through which route, newest first: transparency for the leads and
   * social workers of the agencies holding the case. Anyone else who reaches the child is FORBIDDEN; a child
   * they do not reach is NOT_FOUND. Which events they see: audit.visibility.
   */
  async auditTrail(ctx: Scope, childId: string, first: number, after?: string | null): Promise<AuditEventConnection> {
    const page = pageOf(first, after);
    const viewer = await trailViewer(ctx, childId);
    // Who read the record is child data too (DESIGN §5): the trail shows its own readers.
    this.audit.record(ctx, {
      action: 'auditTrail',
      subjectType: 'AuditTrail',
      subjectId: childId,
      childId,
      route: viewer.access.route,
    });
    const values: unknown[] = [];
    return this.events(ctx, visibleTrailEvents('e', viewer, values), values, page);
  }

  /**
   * Walks the log once in seq order, in batches, following each lane's chain (migration AuditLog), and names
   * every event that breaks one: an event whose hash is not the hash of its content and its predecessor's hash
   * (altered, or moved to another seq); an event whose recorded predecessor is not the lane's previous event
   * (an event removed: the missing seq is named; or one inserted: the intruder is named); or an event whose
   * predecessor was rewritten together with its hash. After a broken link the walk carries on from the event it
   * found, as it stands: stopping at the first would let a second tampering hide behind it.
   *
   * The batches are fetched from one cursor, so the whole walk reads one snapshot. Separate statements would each
   * see the log as it is then: seq is drawn before commit, so an event committed between two batches, below the
   * first batch's last seq, would be missed, and its lane's next event would then look as if its predecessor had
   * been removed. In one snapshot each lane is a complete prefix (a lane's appends commit in seq order).
   */
  async verifyChain(ctx: Scope): Promise<AuditVerification> {
    const heads = new Map<number, { seq: bigint; hash: Buffer }>();
    const invalid = new Set<bigint>();
    let last = 0n;
    let checked = 0;
    for await (const rows of this.repository.chain(await ctx.manager(), VERIFY_BATCH)) {
      for (const row of rows) {
        checked += 1;
        const seq = BigInt(row.seq);
        const broken = brokenLink(row, seq, heads.get(row.lane));
        if (broken !== null) invalid.add(broken);
        heads.set(row.lane, { seq, hash: row.hash });
        last = seq;
      }
    }
    const invalidSeqs = [...invalid].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
    const valid = invalidSeqs.length === 0;
    return {
      valid,
      eventsChecked: checked,
      firstInvalidSeq: invalidSeqs[0] ?? null,
      invalidSeqs,
      headSeq: valid && checked > 0 ? String(last) : null,
      headHash: valid && checked > 0 ? digestOfHeads(heads) : null,
    };
  }

  /** One page of the events matching `where` (from audit.visibility), newest first. */
  private async events(ctx: Scope, where: string, values: unknown[], page: Page): Promise<AuditEventConnection> {
    const rows = await this.repository.events(await ctx.manager(), where, values, {
      before: page.before,
      limit: page.limit + 1,
    });
    const nodes = rows.slice(0, page.limit).map(toEvent);
    return {
      edges: nodes.map((node) => ({ cursor: node.seq, node })),
      pageInfo: { hasNextPage: rows.length > page.limit, endCursor: nodes.at(-1)?.seq ?? null },
    };
  }
}
