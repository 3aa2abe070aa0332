import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Sensitivity } from '../chronology/chronology.enums';
import type { LawfulBasis } from './sharing.enums';

/** One agency sharing a child's record (chosen tiers) with another, for a purpose, on a lawful basis, until expiry. */
@Entity('access_grant')
export class AccessGrantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('uuid') grantingAgencyId!: string;
  @Column('uuid') grantedBy!: string;
  @Column('uuid') granteeAgencyId!: string;
  @Column('text', { array: true }) tiers!: Sensitivity[];
  @Column('text') lawfulBasis!: LawfulBasis;
  @Column('text') purpose!: string;
  @Column('timestamptz') grantedAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  @Column('uuid', { nullable: true }) revokedBy!: string | null;
}
