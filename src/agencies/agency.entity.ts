import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from '../database/sql-list';
import { AgencyKind } from '../common/enums/agencies';

@Entity('agency')
@Check('agency_name_check', 'length(btrim(name)) BETWEEN 1 AND 200')
@Check('agency_kind_check', `kind IN (${sqlList(AgencyKind)})`)
@Check('agency_local_authority_check', 'local_authority IS NULL OR length(btrim(local_authority)) BETWEEN 1 AND 200')
// Unique ignoring case: an expression index (lower(name)), which TypeORM cannot declare.
@Index('agency_name_key', { synchronize: false })
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: AgencyKind;
  @Column('text', { nullable: true }) localAuthority!: string | null;
  /** May refer a child to the National Referral Mechanism (police, children's social care, some charities). */
  @Column('boolean', { default: false }) firstResponder!: boolean;
  @Column('boolean', { default: true }) active!: boolean;
  @Column('boolean', { default: false }) demo!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
