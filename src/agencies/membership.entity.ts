import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Role } from './agencies.enums';

/** A person's place in one agency, with the roles they hold there. A token acts for exactly one membership. */
@Entity('membership')
export class MembershipEntity {
  @PrimaryColumn('uuid') userId!: string;
  @PrimaryColumn('uuid') agencyId!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('boolean', { default: true }) active!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
