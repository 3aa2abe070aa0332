import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';

/** A recorded decision not to share a child's record with an agency, and why. */
@Entity('access_refusal')
@Check('access_refusal_reason_check', 'length(btrim(reason)) BETWEEN 20 AND 2000')
@Check('access_refusal_check', 'requesting_agency_id <> deciding_agency_id')
@Index('access_refusal_child_idx', ['childId', 'decidedAt'])
export class AccessRefusalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'access_refusal_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'access_refusal_deciding_agency_id_fkey' })
  decidingAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'access_refusal_decided_by_fkey' })
  decidedBy!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'access_refusal_requesting_agency_id_fkey' })
  requestingAgencyId!: string;
  @Column('text') reason!: string;
  @Column('timestamptz', { default: () => 'now()' }) decidedAt!: Date;
}
