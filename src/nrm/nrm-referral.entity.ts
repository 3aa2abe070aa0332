import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { ConcernCategory } from '../common/enums/chronology';
import { NrmDecision } from '../common/enums/nrm';
import { sqlList } from '../database/sql-list';

/**
 * A first responder's referral of a child to the National Referral Mechanism, with the Single Competent
 * Authority's two decisions as they come back. Each stage moves from PENDING once, by compare-and-set.
 */
@Entity('nrm_referral')
@Check(
  'nrm_referral_exploitation_types_check',
  `cardinality(exploitation_types) >= 1 AND exploitation_types <@ ARRAY[${sqlList(ConcernCategory)}]::text[]`,
)
@Check('nrm_referral_reasonable_grounds_check', `reasonable_grounds IN (${sqlList(NrmDecision)})`)
@Check('nrm_referral_conclusive_grounds_check', `conclusive_grounds IN (${sqlList(NrmDecision)})`)
@Check(
  'nrm_referral_reasonable_grounds_on_check',
  `(reasonable_grounds = 'PENDING') = (reasonable_grounds_on IS NULL)
   AND (reasonable_grounds_on IS NULL OR reasonable_grounds_on >= referred_on)`,
)
@Check(
  'nrm_referral_conclusive_grounds_on_check',
  `(conclusive_grounds = 'PENDING') = (conclusive_grounds_on IS NULL)
   AND (conclusive_grounds_on IS NULL OR conclusive_grounds_on >= reasonable_grounds_on)`,
)
@Check('nrm_referral_stage_order_check', `conclusive_grounds = 'PENDING' OR reasonable_grounds = 'POSITIVE'`)
@ForeignKey(() => MembershipEntity, ['referredBy', 'referringAgencyId'], ['userId', 'agencyId'], {
  name: 'nrm_referral_referred_by_referring_agency_id_fkey',
})
@Index('nrm_referral_child_idx', ['childId', 'referredOn'])
@Index('nrm_referral_referring_agency_idx', ['referringAgencyId'])
export class NrmReferralEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'nrm_referral_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'nrm_referral_referring_agency_id_fkey' })
  referringAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'nrm_referral_referred_by_fkey' })
  referredBy!: string;
  /** A calendar date, carried as 'YYYY-MM-DD'. */
  @Column('date') referredOn!: string;
  @Column('text', { array: true }) exploitationTypes!: ConcernCategory[];
  @Column('text', { default: NrmDecision.PENDING }) reasonableGrounds!: NrmDecision;
  @Column('date', { nullable: true }) reasonableGroundsOn!: string | null;
  @Column('text', { default: NrmDecision.PENDING }) conclusiveGrounds!: NrmDecision;
  @Column('date', { nullable: true }) conclusiveGroundsOn!: string | null;
  @Column('timestamptz', { default: () => 'now()' }) recordedAt!: Date;
}
