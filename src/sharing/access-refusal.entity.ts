import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A recorded decision not to share a child's record with an agency, and why. */
@Entity('access_refusal')
export class AccessRefusalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('uuid') decidingAgencyId!: string;
  @Column('uuid') decidedBy!: string;
  @Column('uuid') requestingAgencyId!: string;
  @Column('text') reason!: string;
  @Column('timestamptz') decidedAt!: Date;
}
