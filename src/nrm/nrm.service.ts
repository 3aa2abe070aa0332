import { Injectable } from '@nestjs/common';
import { dateInEnglandAndWales } from '../../libs/working-days/src';
import { viaBreakGlass, type AccessRoute } from '../access/child-access';
import { requireOnChild } from '../access/child-decisions';
import { requireToRecordNrmDecision } from '../access/nrm.decisions';
import type { Scope } from '../access/scope';
import { AuditLog } from '../audit/log/audit-log.service';
import { BadUserInputError, ConflictError, FailedPreconditionError, NotFoundError } from '../common/errors';
import { LoaderKey } from '../common/loaders';
import { NrmDecision, NrmStage } from '../common/enums/nrm';
import type { RecordNrmDecisionInput, ReferToNrmInput } from './nrm.inputs';
import { NrmRepository, type NrmReferralRow } from './nrm.repository';
import type { NrmReferralType } from './nrm.types';

const REFERRALS = new LoaderKey<string, NrmReferralType[]>("a child's NRM referrals");

/** A referral or decision dated after today is a typing error (a wrong year or month), never a fact. */
function assertNotFuture(day: string, field: string): void {
  // Today in England, where the referrals are made and decided: not the server's day, nor UTC's.
  if (day > dateInEnglandAndWales(new Date()))
    throw new BadUserInputError(`${field.split('.').pop()} cannot be in the future`, field);
}

const STAGE_NAMES: Record<NrmStage, string> = {
  [NrmStage.REASONABLE_GROUNDS]: 'Reasonable Grounds',
  [NrmStage.CONCLUSIVE_GROUNDS]: 'Conclusive Grounds',
};

/**
 * Whether the referral stands where `stage` can be decided: the Single Competent Authority decides Reasonable
 * Grounds first, and Conclusive Grounds only after a positive one (Modern Slavery Act 2015 statutory guidance: a
 * negative Reasonable Grounds decision ends the referral); each stage is decided once. FAILED_PRECONDITION: the
 * input is sound, the referral is in the wrong state for it.
 */
function assertStageOpen(referral: NrmReferralRow, stage: NrmStage): void {
  if (stage === NrmStage.REASONABLE_GROUNDS) {
    if (referral.reasonableGrounds !== NrmDecision.PENDING) {
      throw new FailedPreconditionError(
        `The Reasonable Grounds decision on this referral is already recorded (${referral.reasonableGrounds})`,
      );
    }
    return;
  }
  if (referral.reasonableGrounds === NrmDecision.PENDING) {
    throw new FailedPreconditionError(
      'Conclusive Grounds is decided only after a positive Reasonable Grounds decision: ' +
        'record the Reasonable Grounds decision on this referral first',
    );
  }
  if (referral.reasonableGrounds === NrmDecision.NEGATIVE) {
    throw new FailedPreconditionError(
      'The Reasonable Grounds decision on this referral was negative, which ends it: ' +
        'there is no Conclusive Grounds decision to record (refer the child again if new information emerges)',
    );
  }
  if (referral.conclusiveGrounds !== NrmDecision.PENDING) {
    throw new FailedPreconditionError(
      `The Conclusive Grounds decision on this referral is already recorded (${referral.conclusiveGrounds})`,
    );
  }
}

/** A decision is dated on or after what it follows: the referral, and for Conclusive Grounds its Reasonable Grounds. */
function assertDecidedInOrder(referral: NrmReferralRow, stage: NrmStage, decidedOn: string): void {
  if (decidedOn < referral.referredOn) {
    throw new BadUserInputError(
      `decidedOn cannot be before the referral was made (${referral.referredOn})`,
      'input.decidedOn',
    );
  }
  const reasonableGroundsOn = referral.reasonableGroundsOn;
  if (stage === NrmStage.CONCLUSIVE_GROUNDS && reasonableGroundsOn && decidedOn < reasonableGroundsOn) {
    throw new BadUserInputError(
      `decidedOn cannot be before the Reasonable Grounds decision it follows (${reasonableGroundsOn})`,
      'input.decidedOn',
    );
  }
}

const toReferral = ({ route: _route, ...row }: NrmReferralRow & { route?: AccessRoute }): NrmReferralType => row;

/**
 * National Referral Mechanism referrals (DESIGN §2): a first responder refers a child it works with (children need
 * no consent), and records the Single Competent Authority's Reasonable Grounds and then Conclusive Grounds
 * decisions as they come back; the decisions set the child's NRM flags. Who may do what, and who sees which
 * referral, is src/access's (nrm.rules.ts, nrm.decisions.ts, nrm.visibility.ts). Every read and write is audited.
 */
@Injectable()
export class NrmService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: NrmRepository,
  ) {}

  async refer(ctx: Scope, input: ReferToNrmInput): Promise<NrmReferralType> {
    const { actor } = ctx.signedIn;
    assertNotFuture(input.referredOn, 'input.referredOn');
    const { route } = await requireOnChild(ctx, 'refer', input.childId);
    const membership = actor.membership;
    if (!membership) throw new NotFoundError('Child', input.childId);
    const row = await this.repository.insertReferral(await ctx.manager(), {
      childId: input.childId,
      referringAgencyId: membership.agencyId,
      referredById: actor.userId,
      referredOn: input.referredOn,
      exploitationTypes: input.exploitationTypes,
    });
    this.recordChange(ctx, 'referToNrm', row, route);
    return row;
  }

  async recordDecision(ctx: Scope, input: RecordNrmDecisionInput): Promise<NrmReferralType> {
    if (input.decision === NrmDecision.PENDING) {
      throw new BadUserInputError(
        'Record the decision the Single Competent Authority made: POSITIVE or NEGATIVE',
        'input.decision',
      );
    }
    assertNotFuture(input.decidedOn, 'input.decidedOn');
    const referral = await this.repository.referral(ctx, input.referralId);
    if (!referral) throw new NotFoundError('NrmReferral', input.referralId);
    const { route } = await requireToRecordNrmDecision(ctx, referral);
    assertStageOpen(referral, input.stage);
    assertDecidedInOrder(referral, input.stage, input.decidedOn);
    const manager = await ctx.manager();
    const decided = await this.repository.decide(manager, referral.id, input.stage, input.decision, input.decidedOn);
    if (!decided) {
      throw new ConflictError(
        `The ${STAGE_NAMES[input.stage]} decision on this referral was recorded by someone else meanwhile; ` +
          'reload the referral to see it',
      );
    }
    await this.repository.refreshNrmFlags(manager, referral.childId);
    this.recordChange(ctx, 'recordNrmDecision', decided, route);
    return decided;
  }

  /**
   * Every referral of the child, oldest first, for a decision about the child by someone who reaches it (a
   * prosecutor's non-punishment assessment): the NRM status on the record is what the decision must weigh, whichever
   * agency referred. The caller has checked its access to the child, and discloses no referrer.
   */
  async referralsOnRecord(ctx: Scope, childId: string): Promise<NrmReferralRow[]> {
    return this.repository.referralsOnRecord(await ctx.manager(), childId);
  }

  /** The child's referrals the viewer sees, oldest first. Batched per request; the read is audited per child. */
  referralsOf(ctx: Scope, childId: string): Promise<NrmReferralType[]> {
    return ctx.loaders.get(REFERRALS, (ids) => this.referrals(ctx, ids)).load(childId);
  }

  private async referrals(ctx: Scope, childIds: readonly string[]): Promise<NrmReferralType[][]> {
    const rows = await this.repository.referralsOf(ctx, childIds);
    const byChild = new Map<string, NrmReferralType[]>();
    for (const row of rows) {
      this.audit.recordRead(ctx, row.childId, row.route);
      byChild.set(row.childId, [...(byChild.get(row.childId) ?? []), toReferral(row)]);
    }
    return childIds.map((id) => byChild.get(id) ?? []);
  }

  /** Every change to a referral is on the child's trail, with the route it came through; break-glass is flagged. */
  private recordChange(ctx: Scope, action: string, referral: NrmReferralRow, route: AccessRoute): void {
    this.audit.record(ctx, {
      action,
      subjectType: 'NrmReferral',
      subjectId: referral.id,
      childId: referral.childId,
      route,
      breakGlass: viaBreakGlass(route),
    });
  }
}
