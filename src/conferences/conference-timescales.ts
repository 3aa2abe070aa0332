import { addMonths, addWorkingDays, IsoDate } from '../../libs/working-days/src';
import { ConferenceKind } from '../common/enums/conferences';

/**
 * The statutory timescales of child protection conferences (Working Together to Safeguard Children 2023;
 * reference/statutory-rules.md), on the working days of England and Wales.
 */

/** "ICPC within 15 working days of the strategy discussion that started the section 47 enquiry." */
const INITIAL_CONFERENCE_WORKING_DAYS = 15;
/** "First review conference within 3 months of the ICPC." */
const FIRST_REVIEW_MONTHS = 3;
/** "Later reviews at most 6 months apart while the plan lasts." */
const LATER_REVIEW_MONTHS = 6;

export interface DueByBasis {
  /** The day of the strategy discussion (an initial conference). */
  strategyDiscussionOn: IsoDate | null;
  /** The review date the conference under review set (a review conference). */
  reviewDueFromPreceding: IsoDate | null;
  /** The day it is scheduled for, in England and Wales (the kinds with no statutory timescale). */
  scheduledOn: IsoDate;
}

/**
 * The day by which a conference of `kind` must be held. A strategy discussion and an exploitation risk meeting
 * have no statutory timescale: they are due on the day they are held.
 */
export function conferenceDueBy(kind: ConferenceKind, basis: DueByBasis): IsoDate {
  switch (kind) {
    case ConferenceKind.INITIAL_CHILD_PROTECTION:
      if (!basis.strategyDiscussionOn) throw new Error('an initial conference is due from its strategy discussion');
      return addWorkingDays(basis.strategyDiscussionOn, INITIAL_CONFERENCE_WORKING_DAYS);
    case ConferenceKind.REVIEW_CHILD_PROTECTION:
      if (!basis.reviewDueFromPreceding) throw new Error('a review is due when the conference it reviews set it');
      return basis.reviewDueFromPreceding;
    case ConferenceKind.STRATEGY_DISCUSSION:
    case ConferenceKind.EXPLOITATION_RISK:
      return basis.scheduledOn;
  }
}

/** Only a child protection conference makes (or keeps) a child protection plan, and so sets a review. */
export function mayKeepPlan(kind: ConferenceKind): boolean {
  return kind === ConferenceKind.INITIAL_CHILD_PROTECTION || kind === ConferenceKind.REVIEW_CHILD_PROTECTION;
}

/**
 * When the next review is due, for a conference of `kind` decided on `decidedOn` that keeps a plan: three months
 * after the initial conference, then at most six months after each review.
 */
export function nextReviewDue(kind: ConferenceKind, decidedOn: IsoDate): IsoDate {
  return addMonths(
    decidedOn,
    kind === ConferenceKind.INITIAL_CHILD_PROTECTION ? FIRST_REVIEW_MONTHS : LATER_REVIEW_MONTHS,
  );
}
