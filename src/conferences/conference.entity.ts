import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { ConferenceKind, ConferenceRecommendation, ConferenceStatus } from '../common/enums/conferences';
import { sqlList } from '../database/sql-list';

/**
 * One conference on one child (DESIGN §6), with its decision once DECIDED. Changed only by compare-and-set on
 * `version` (ConferencesRepository): TypeORM's own version column does not prevent lost updates.
 */
@Entity('conference')
@Check('conference_kind_check', `kind IN (${sqlList(ConferenceKind)})`)
@Check('conference_status_check', `status IN (${sqlList(ConferenceStatus)})`)
@Check('conference_cancellation_reason_check', 'length(btrim(cancellation_reason)) BETWEEN 1 AND 2000')
@Check('conference_recommendation_check', `recommendation IN (${sqlList(ConferenceRecommendation)})`)
@Check('conference_rationale_check', 'length(btrim(rationale)) BETWEEN 1 AND 10000')
@Check('conference_quorum_override_reason_check', 'length(btrim(quorum_override_reason)) BETWEEN 1 AND 2000')
@Check('conference_version_check', 'version >= 1')
@Check('conference_initial_check', `kind <> 'INITIAL_CHILD_PROTECTION' OR strategy_discussion_on IS NOT NULL`)
@Check('conference_review_check', `kind <> 'REVIEW_CHILD_PROTECTION' OR preceding_conference_id IS NOT NULL`)
@Check('conference_started_check', `(status = 'CONVENED') = (started_at IS NULL) OR status = 'CANCELLED'`)
@Check('conference_closed_check', `(status IN ('DECIDED','CANCELLED')) = (closed_at IS NOT NULL)`)
@Check('conference_cancelled_check', `(status = 'CANCELLED') = (cancellation_reason IS NOT NULL)`)
@Check(
  'conference_decided_check',
  `(status = 'DECIDED') = (recommendation IS NOT NULL) AND (recommendation IS NULL) = (rationale IS NULL)
          AND (recommendation IS NULL) = (decided_by IS NULL) AND (recommendation IS NULL) = (decided_at IS NULL)
          AND (recommendation IS NULL) = (keeps_plan IS NULL)`,
)
@Check('conference_next_review_check', '(next_review_by IS NOT NULL) = COALESCE(keeps_plan, false)')
@ForeignKey(() => MembershipEntity, ['chairId', 'chairAgencyId'], ['userId', 'agencyId'], {
  name: 'conference_chair_id_chair_agency_id_fkey',
})
@Index('conference_child_idx', ['childId', 'scheduledFor'])
@Index('conference_chair_idx', ['chairId', 'chairAgencyId', 'childId'])
@Index('conference_review_of_idx', ['precedingConferenceId'], {
  unique: true,
  where: `kind = 'REVIEW_CHILD_PROTECTION' AND status <> 'CANCELLED'`,
})
export class ConferenceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'conference_child_id_fkey' })
  childId!: string;
  @Column('text') kind!: ConferenceKind;
  @Column('text', { default: ConferenceStatus.CONVENED }) status!: ConferenceStatus;
  @Column('uuid') chairId!: string;
  @Column('uuid') chairAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'conference_convened_by_fkey' })
  convenedBy!: string;
  @Column('timestamptz', { default: () => 'now()' }) convenedAt!: Date;
  @Column('timestamptz') scheduledFor!: Date;
  /** Computed from the statutory timescales (conference-timescales.ts), never taken from the client. */
  @Column('date') dueBy!: string;
  @Column('date', { nullable: true }) strategyDiscussionOn!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => ConferenceEntity, { name: 'conference_preceding_conference_id_fkey' })
  precedingConferenceId!: string | null;
  @Column('timestamptz', { nullable: true }) startedAt!: Date | null;
  /** When it was decided or cancelled: the CONFERENCE route stays open 30 days after. */
  @Column('timestamptz', { nullable: true }) closedAt!: Date | null;
  @Column('text', { nullable: true }) cancellationReason!: string | null;
  @Column('text', { nullable: true }) recommendation!: ConferenceRecommendation | null;
  @Column('text', { nullable: true }) rationale!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'conference_decided_by_fkey' })
  decidedBy!: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt!: Date | null;
  @Column('boolean', { nullable: true }) keepsPlan!: boolean | null;
  @Column('date', { nullable: true }) nextReviewBy!: string | null;
  @Column('text', { nullable: true }) quorumOverrideReason!: string | null;
  @Column('integer', { default: 1 }) version!: number;
}
