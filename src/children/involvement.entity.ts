import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InvolvementBasis } from './children.enums';

/**
 * An agency's legitimate relationship with a child, the basis of default access (DESIGN §4). Active while
 * `until` is null or in the future.
 */
@Entity('involvement')
export class InvolvementEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('uuid') agencyId!: string;
  @Column('text') basis!: InvolvementBasis;
  @Column('date') since!: string;
  @Column('date', { nullable: true }) until!: string | null;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('uuid', { nullable: true }) endedBy!: string | null;
}
