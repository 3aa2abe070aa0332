import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { InvolvementEntity } from '../children/involvement.entity';
import { Sensitivity } from '../common/enums/chronology';
import { sqlList } from '../database/sql-list';
import { LawfulBasis } from '../common/enums/sharing';

/** One agency sharing a child's record (chosen tiers) with another, for a purpose, on a lawful basis, until expiry. */
@Entity('access_grant')
@Check('access_grant_tiers_check', `cardinality(tiers) >= 1 AND tiers <@ ARRAY[${sqlList(Sensitivity)}]::text[]`)
@Check('access_grant_lawful_basis_check', `lawful_basis IN (${sqlList(LawfulBasis)})`)
@Check('access_grant_purpose_check', 'length(btrim(purpose)) BETWEEN 20 AND 2000')
@Check('access_grant_check', 'grantee_agency_id <> granting_agency_id')
@Check('access_grant_check1', `expires_at > granted_at AND expires_at <= granted_at + interval '1 year'`)
@Check(
  'access_grant_check2',
  '(revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL OR revoked_at >= granted_at)',
)
// (grantee_agency_id, child_id) INCLUDE (expires_at, tiers) WHERE revoked_at IS NULL: TypeORM cannot declare
// covering columns.
@Index('access_grant_grantee_idx', { synchronize: false })
@Index('access_grant_child_idx', ['childId', 'grantedAt'])
export class AccessGrantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'access_grant_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'access_grant_granting_agency_id_fkey' })
  grantingAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'access_grant_granted_by_fkey' })
  grantedBy!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'access_grant_grantee_agency_id_fkey' })
  granteeAgencyId!: string;
  @Column('text', { array: true }) tiers!: Sensitivity[];
  @Column('text') lawfulBasis!: LawfulBasis;
  @Column('text') purpose!: string;
  @Column('timestamptz', { default: () => 'now()' }) grantedAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'access_grant_revoked_by_fkey' })
  revokedBy!: string | null;
  /** The granting agency's involvement that the grant lends: it lapses when this ends (liveGrant). */
  @Column('uuid', { nullable: true })
  @ForeignKey(() => InvolvementEntity, { name: 'access_grant_lending_involvement_id_fkey' })
  lendingInvolvementId!: string | null;
}
