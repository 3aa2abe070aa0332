import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { sqlList } from '../database/sql-list';
import { Role } from '../common/enums/agencies';
import { AgencyEntity } from './agency.entity';
import { UserEntity } from './user.entity';

/** A person's place in one agency, with the roles they hold there. A token acts for exactly one membership. */
@Entity('membership')
@Check('membership_roles_check', `cardinality(roles) >= 1 AND roles <@ ARRAY[${sqlList(Role)}]::text[]`)
@Index('membership_agency_idx', ['agencyId'])
export class MembershipEntity {
  @PrimaryColumn('uuid')
  @ForeignKey(() => UserEntity, { name: 'membership_user_id_fkey' })
  userId!: string;
  @PrimaryColumn('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'membership_agency_id_fkey' })
  agencyId!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('boolean', { default: true }) active!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
