import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';

/**
 * A single-use password reset an admin issued for a person. As for an invitation, only a hash of the token is
 * kept and the token itself is shown once, to the admin, who hands it to the person.
 */
@Entity('password_reset')
@Check('password_reset_check', 'expires_at > created_at')
@Index('password_reset_token_hash_key', ['tokenHash'], { unique: true })
// Issuing a reset or setting a password withdraws the person's open resets: found without a scan.
@Index('password_reset_open_user_idx', ['userId'], { where: 'used_at IS NULL' })
export class PasswordResetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'password_reset_user_id_fkey' })
  userId!: string;
  @Column('text', { select: false }) tokenHash!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'password_reset_issued_by_fkey' })
  issuedBy!: string;
  /**
   * The agency whose admin issued it, null for the platform admin: when the reset is used, the account must
   * still be that agency's alone (people.decisions.ts).
   */
  @Column('uuid', { nullable: true })
  @ForeignKey(() => AgencyEntity, { name: 'password_reset_agency_id_fkey' })
  agencyId!: string | null;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) usedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
