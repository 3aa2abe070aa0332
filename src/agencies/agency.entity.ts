import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyKind } from './agencies.enums';

@Entity('agency')
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
