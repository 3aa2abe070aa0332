import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { sqlList } from '../database/sql-list';
import { ChildEntity } from './child.entity';
import { InvolvementBasis } from '../common/enums/children';

/**
 * An agency's legitimate relationship with a child, the basis of default access (DESIGN §4). Active while
 * `until` is null or in the future.
 */
@Entity('involvement')
@Check('involvement_basis_check', `basis IN (${sqlList(InvolvementBasis)})`)
@Check('involvement_check', 'until IS NULL OR until >= since')
// (agency_id, child_id) INCLUDE (until): TypeORM cannot declare covering columns.
@Index('involvement_agency_child_idx', { synchronize: false })
@Index('involvement_child_idx', ['childId'])
@Index('involvement_open_key', ['childId', 'agencyId'], { unique: true, where: 'until IS NULL' })
export class InvolvementEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'involvement_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'involvement_agency_id_fkey' })
  agencyId!: string;
  @Column('text') basis!: InvolvementBasis;
  @Column('date') since!: string;
  @Column('date', { nullable: true }) until!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'involvement_created_by_fkey' })
  createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'involvement_ended_by_fkey' })
  endedBy!: string | null;
}
