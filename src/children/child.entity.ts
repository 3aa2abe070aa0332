import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ChildFlag } from './children.enums';

/**
 * The one record of a child shared by every agency (DESIGN §2). Updated only by a compare-and-set on `version`
 * (see ChildrenService.update): TypeORM's own version column does not prevent lost updates.
 */
@Entity('child')
export class ChildEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') givenName!: string;
  @Column('text') familyName!: string;
  @Column('text', { array: true, default: () => "'{}'" }) aliases!: string[];
  /** A calendar date, carried as 'YYYY-MM-DD'. */
  @Column('date', { nullable: true }) dateOfBirth!: string | null;
  @Column('text', { nullable: true }) gender!: string | null;
  /** Only the INVOLVED and BREAK_GLASS routes see it (DESIGN §4). */
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) flags!: ChildFlag[];
  @Column('integer', { default: 1 }) version!: number;
  @Column('boolean', { default: false }) demo!: boolean;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt!: Date;
  /** Search and matching read these; a trigger derives them from the names, so code never writes them. */
  @Column('text', { insert: false, update: false, select: false }) fullName!: string;
  @Column('text', { insert: false, update: false, select: false }) aliasNames!: string;
}
