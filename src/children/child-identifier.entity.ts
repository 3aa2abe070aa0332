import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { sqlList } from '../database/sql-list';
import { ChildEntity } from './child.entity';
import { IdentifierScheme } from '../common/enums/children';

/** A normalised identifier; (scheme, value) is unique across all children. */
@Entity('child_identifier')
@Check('child_identifier_scheme_check', `scheme IN (${sqlList(IdentifierScheme)})`)
@Check('child_identifier_value_check', 'length(value) BETWEEN 1 AND 100 AND value = btrim(value)')
@Index('child_identifier_scheme_value_key', ['scheme', 'value'], { unique: true })
@Index('child_identifier_child_idx', ['childId'])
export class ChildIdentifierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'child_identifier_child_id_fkey' })
  childId!: string;
  @Column('text') scheme!: IdentifierScheme;
  @Column('text') value!: string;
  /** An OTHER identifier is shown only to the agency that recorded it. */
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'child_identifier_recorded_by_agency_id_fkey' })
  recordedByAgencyId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
