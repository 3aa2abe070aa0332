import { Injectable } from '@nestjs/common';
import { dateInEnglandAndWales } from '../../libs/working-days/src';
import { viaBreakGlass } from '../access/child-access';
import { requireOnChild } from '../access/child-decisions';
import { NON_PUNISHMENT_AUDIENCE_ROLES } from '../access/non-punishment.decisions';
import { seesNonPunishmentReasoning } from '../access/non-punishment.visibility';
import type { Scope } from '../access/scope';
import { AuditLog } from '../audit/log/audit-log.service';
import { ChildrenService } from '../children/children.service';
import { ConferenceRecommendation } from '../common/enums/conferences';
import { ProsecutionOutcome, Section45Limb } from '../common/enums/non-punishment';
import { NrmDecision } from '../common/enums/nrm';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { LoaderKey } from '../common/loaders';
import { ConferencesService } from '../conferences/conferences.service';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { NrmService } from '../nrm/nrm.service';
import type { NonPunishmentAssessmentInput } from './non-punishment.inputs';
import { AssessmentRow, NonPunishmentRepository } from './non-punishment.repository';
import type { NonPunishmentAssessmentType } from './non-punishment.types';

const ASSESSMENTS = new LoaderKey<string, NonPunishmentAssessmentType[]>("a child's non-punishment assessments");

/**
 * Stage 4, where the child may be a victim: "the victim status weighs heavily against prosecution" (CPS), so a
 * decision to prosecute says why in a paragraph that engages with it, measured as at least this many words that
 * name the victim status and each piece of evidence of it the record shows.
 */
const MIN_PUBLIC_INTEREST_WORDS = 40;
const VICTIM_STATUS = /\bvictim/i;

/** A fact on the child's record that gives reason to believe the child is a victim, and how a rationale names it. */
interface VictimEvidence {
  /** Which decision, which date: "a positive NRM Reasonable Grounds decision of 2026-11-25". */
  cites: string;
  /** What a public-interest rationale mentions to engage with it, and the pattern that finds the mention. */
  named: string;
  mention: RegExp;
}

const NRM_MENTION = /\bNRM\b|National Referral Mechanism/i;

function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** The limb of s45 that applies, by the child's age on the offence date, not today (s45(1), s45(4)). */
function section45LimbOn(dateOfBirth: string | null, offenceDate: string): Section45Limb | null {
  if (!dateOfBirth) return null;
  // The 18th birthday as a date string: one born on 29 February is 18 on 1 March of a common year, which the string
  // comparison gives (2031-02-29 sorts after 2031-02-28 and before 2031-03-01).
  const eighteenth = `${Number(dateOfBirth.slice(0, 4)) + 18}${dateOfBirth.slice(4)}`;
  return offenceDate < eighteenth ? Section45Limb.CHILD : Section45Limb.ADULT;
}

const LIMB_NAMES: Record<Section45Limb, string> = {
  [Section45Limb.CHILD]: 'child limb, s45(4)',
  [Section45Limb.ADULT]: 'adult limb, s45(1)',
};

function refuse(stage: string, message: string, field: string): never {
  throw new BadUserInputError(`${stage}: ${message}`, `input.${field}`);
}

const STAGE_1 = 'Stage 1 (reason to believe the child is a victim)';
const STAGE_2 = 'Stage 2 (duress)';
const STAGE_3 = 'Stage 3 (section 45 defence)';
const STAGE_4 = 'Stage 4 (public interest)';
const DEFERRAL = 'Outcome DEFER_PENDING_NRM';

function toAssessment(row: AssessmentRow, reasoning: boolean): NonPunishmentAssessmentType {
  return {
    id: row.id,
    childId: row.childId,
    decidedById: row.decidedById,
    decidedAt: row.decidedAt,
    offence: row.offence,
    offenceDate: row.offenceDate,
    outcome: row.outcome,
    section45Limb: row.section45Limb,
    conferenceRecommendation: row.conferenceRecommendation,
    superseded: row.superseded,
    scheduleFourOffence: reasoning ? row.scheduleFourOffence : null,
    reasonToBelieveVictim: reasoning ? row.reasonToBelieveVictim : null,
    reasonToBelieveBasis: reasoning ? row.reasonToBelieveBasis : null,
    duressEvidence: reasoning ? row.duressEvidence : null,
    section45DefenceAvailable: reasoning ? row.section45DefenceAvailable : null,
    publicInterestRationale: reasoning ? row.publicInterestRationale : null,
    nrmReferralIntended: reasoning ? row.nrmReferralIntended : null,
  };
}

/**
 * The prosecutor's non-punishment assessment (DESIGN §2; statutory-rules.md): the four CPS stages in their order,
 * each refused with the stage and the reason when the answers or the outcome do not follow from the record. The s45
 * limb is derived from the date of birth, the conference recommendation and the NRM status are taken from the
 * record (src/conferences, src/nrm), never from the client. Append-only: a new assessment supersedes the last.
 * Who records and who reads the reasoning is src/access (non-punishment.*.ts). Every read and write is audited.
 */
@Injectable()
export class NonPunishmentService {
  constructor(
    private readonly audit: AuditLog,
    private readonly children: ChildrenService,
    private readonly conferences: ConferencesService,
    private readonly nrm: NrmService,
    private readonly notifications: NotificationsService,
    private readonly repository: NonPunishmentRepository,
  ) {}

  async record(ctx: Scope, input: NonPunishmentAssessmentInput): Promise<NonPunishmentAssessmentType> {
    const { route } = await requireOnChild(ctx, 'assessNonPunishment', input.childId);
    const { actor } = ctx.signedIn;
    const child = await this.children.load(ctx, input.childId);
    const agencyId = actor.membership?.agencyId;
    if (!child || !agencyId) throw new NotFoundError('Child', input.childId);
    if (input.offenceDate > dateInEnglandAndWales(new Date())) {
      refuse('offenceDate', 'the offence date cannot be in the future', 'offenceDate');
    }
    if (child.dateOfBirth && input.offenceDate < child.dateOfBirth) {
      refuse(
        'offenceDate',
        `the offence date cannot be before the child was born (${child.dateOfBirth})`,
        'offenceDate',
      );
    }
    const limb = section45LimbOn(child.dateOfBirth, input.offenceDate);
    const latest = await this.conferences.latestOfChild(ctx, input.childId);
    const referrals = await this.nrm.referralsOnRecord(ctx, input.childId);
    const evidence: VictimEvidence[] = [];
    for (const referral of referrals) {
      if (referral.conclusiveGrounds === NrmDecision.POSITIVE) {
        evidence.push({
          cites: `a positive NRM Conclusive Grounds decision of ${referral.conclusiveGroundsOn}`,
          named: 'the NRM decision ("NRM")',
          mention: NRM_MENTION,
        });
      } else if (
        referral.reasonableGrounds === NrmDecision.POSITIVE &&
        referral.conclusiveGrounds !== NrmDecision.NEGATIVE
      ) {
        evidence.push({
          cites: `a positive NRM Reasonable Grounds decision of ${referral.reasonableGroundsOn}`,
          named: 'the NRM decision ("NRM")',
          mention: NRM_MENTION,
        });
      }
    }
    if (latest.recommendation === ConferenceRecommendation.VICTIM_PROTECTION && latest.decidedAt) {
      evidence.push({
        cites: `the VICTIM_PROTECTION recommendation of the conference decided on ${dateInEnglandAndWales(latest.decidedAt)}`,
        named: 'the conference recommendation ("conference")',
        mention: /\bconference/i,
      });
    }

    // Stage 1: the record, not the prosecutor's impression, says whether there is reason to believe.
    if (!input.reasonToBelieveVictim && evidence.length > 0) {
      refuse(
        STAGE_1,
        `reasonToBelieveVictim cannot be false: the record shows ${evidence.map((e) => e.cites).join(' and ')}`,
        'reasonToBelieveVictim',
      );
    }
    // Stage 2: clear evidence of a credible defence of duress means discontinuing on evidential grounds.
    if (input.duressEvidence && input.outcome === ProsecutionOutcome.PROSECUTE) {
      refuse(
        STAGE_2,
        'with clear evidence of a credible defence of duress the CPS discontinues on evidential grounds: ' +
          'PROSECUTE is not open',
        'outcome',
      );
    }
    // Stage 3: s45(7) excludes the Schedule 4 offences; the defence rests on being a victim, and on a limb.
    if (input.section45DefenceAvailable) {
      if (input.scheduleFourOffence) {
        refuse(
          STAGE_3,
          'the defence does not apply to an offence listed in Schedule 4 (Modern Slavery Act 2015 s45(7)): ' +
            'section45DefenceAvailable cannot be true for a Schedule 4 offence',
          'section45DefenceAvailable',
        );
      }
      if (!input.reasonToBelieveVictim) {
        refuse(
          STAGE_3,
          'the defence rests on the suspect being a victim of slavery or relevant exploitation, which stage 1 ' +
            'found no reason to believe',
          'section45DefenceAvailable',
        );
      }
      if (!limb) {
        refuse(
          STAGE_3,
          'which limb of the defence applies turns on the child’s age on the offence date, and the date of birth ' +
            'is not recorded: record it (updateChild) before finding the defence available',
          'section45DefenceAvailable',
        );
      }
      if (input.outcome === ProsecutionOutcome.PROSECUTE) {
        refuse(
          STAGE_3,
          `with clear evidence of the defence (${LIMB_NAMES[limb]}) the CPS discontinues on evidential grounds: ` +
            'PROSECUTE is not open',
          'outcome',
        );
      }
    }
    const rationale = input.publicInterestRationale.trim();
    // Stage 4: a prosecution of a child who may be a victim engages with that status and the evidence of it.
    if (input.outcome === ProsecutionOutcome.PROSECUTE && input.reasonToBelieveVictim) {
      const words = wordCount(rationale);
      const unnamed = [
        ...(VICTIM_STATUS.test(rationale) ? [] : ['the victim status ("victim")']),
        ...evidence.filter((e) => !e.mention.test(rationale)).map((e) => e.named),
      ];
      if (words < MIN_PUBLIC_INTEREST_WORDS || unnamed.length > 0) {
        refuse(
          STAGE_4,
          'the victim status weighs heavily against prosecuting: publicInterestRationale must be a paragraph of at ' +
            `least ${MIN_PUBLIC_INTEREST_WORDS} words (this has ${words})` +
            ([...new Set(unnamed)].length > 0 ? ` that engages with ${[...new Set(unnamed)].join(' and ')}` : ''),
          'publicInterestRationale',
        );
      }
    }
    if (input.outcome === ProsecutionOutcome.DEFER_PENDING_NRM) {
      if (!input.reasonToBelieveVictim) {
        refuse(DEFERRAL, 'deferring for the NRM needs a reason to believe the child is a victim (stage 1)', 'outcome');
      }
      const awaiting = referrals.some(
        (r) =>
          r.reasonableGrounds === NrmDecision.PENDING ||
          (r.reasonableGrounds === NrmDecision.POSITIVE && r.conclusiveGrounds === NrmDecision.PENDING),
      );
      if (!awaiting && !input.nrmReferralIntended) {
        refuse(
          DEFERRAL,
          'it waits for an NRM decision, and the record shows no referral awaiting one: a first responder refers ' +
            'the child first (or set nrmReferralIntended when one has been asked to)',
          'outcome',
        );
      }
    }

    const manager = await ctx.manager();
    const row = await this.repository.insert(manager, {
      childId: input.childId,
      prosecutingAgencyId: agencyId,
      decidedById: actor.userId,
      offence: input.offence.trim(),
      offenceDate: input.offenceDate,
      outcome: input.outcome,
      section45Limb: limb,
      conferenceRecommendation: latest.recommendation,
      scheduleFourOffence: input.scheduleFourOffence,
      reasonToBelieveVictim: input.reasonToBelieveVictim,
      reasonToBelieveBasis: input.reasonToBelieveBasis.trim(),
      duressEvidence: input.duressEvidence,
      section45DefenceAvailable: input.section45DefenceAvailable,
      publicInterestRationale: rationale,
      nrmReferralIntended: input.nrmReferralIntended ?? false,
    });
    await this.notifyOutcome(ctx, row, latest.chairId);
    this.audit.record(ctx, {
      action: 'recordNonPunishmentAssessment',
      subjectType: 'NonPunishmentAssessment',
      subjectId: row.id,
      childId: row.childId,
      route,
      breakGlass: viaBreakGlass(route),
    });
    return toAssessment(row, seesNonPunishmentReasoning(ctx.signedIn.ability));
  }

  /** The child's assessments, oldest first; the reasoning only to whom src/access allows. Batched, audited. */
  assessmentsOf(ctx: Scope, childId: string): Promise<NonPunishmentAssessmentType[]> {
    return ctx.loaders.get(ASSESSMENTS, (ids) => this.assessments(ctx, ids)).load(childId);
  }

  private async assessments(ctx: Scope, childIds: readonly string[]): Promise<NonPunishmentAssessmentType[][]> {
    const rows = await this.repository.assessmentsOf(ctx, childIds);
    const reasoning = seesNonPunishmentReasoning(ctx.ability);
    const byChild = new Map<string, NonPunishmentAssessmentType[]>();
    for (const row of rows) {
      this.audit.recordRead(ctx, row.childId, row.route);
      byChild.set(row.childId, [...(byChild.get(row.childId) ?? []), toAssessment(row, reasoning)]);
    }
    return childIds.map((id) => byChild.get(id) ?? []);
  }

  /**
   * The involved agencies and the chair of the child's latest conference hear the outcome and its date: what they
   * act on (a plan that assumed no prosecution, a school's safety plan). Never the reasoning, never the child's name.
   */
  private async notifyOutcome(ctx: Scope, row: AssessmentRow, chairId: string | null): Promise<void> {
    const manager = await ctx.manager();
    const agencyIds = await this.repository.involvedAgencies(manager, row.childId);
    const notice = {
      kind: NotificationKind.NON_PUNISHMENT_OUTCOME,
      message:
        `A prosecutor recorded a non-punishment assessment: ${row.outcome} ` +
        `(decided ${dateInEnglandAndWales(row.decidedAt)})`,
      childId: row.childId,
    };
    const except = ctx.signedIn.actor.userId;
    await this.notifications.notifyAgencies(
      manager,
      { agencyIds, roles: NON_PUNISHMENT_AUDIENCE_ROLES, except },
      notice,
    );
    if (
      chairId &&
      chairId !== except &&
      !(await this.repository.inAudience(manager, chairId, agencyIds, NON_PUNISHMENT_AUDIENCE_ROLES))
    ) {
      await this.notifications.notifyPerson(manager, chairId, notice);
    }
  }
}
