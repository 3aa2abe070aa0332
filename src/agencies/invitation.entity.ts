import { createHash } from 'node:crypto';
import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlList } from '../database/sql-list';
import { Role } from '../common/enums/agencies';
import { AgencyEntity } from './agency.entity';
import { UserEntity } from './user.entity';

/** An offer to join an agency. Only a hash of the token is kept; the token itself is shown once, to the inviter. */
@Entity('invitation')
@Check('invitation_email_check', 'email = lower(btrim(email))')
@Check('invitation_display_name_check', 'length(btrim(display_name)) BETWEEN 1 AND 200')
@Check('invitation_roles_check', `cardinality(roles) >= 1 AND roles <@ ARRAY[${sqlList(Role)}]::text[]`)
@Check('invitation_check', 'expires_at > created_at')
@Index('invitation_token_hash_key', ['tokenHash'], { unique: true })
@Index('invitation_agency_idx', ['agencyId'])
@Index('invitation_open_email_idx', ['email'], { where: 'accepted_at IS NULL' })
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'invitation_agency_id_fkey' })
  agencyId!: string;
  @Column('text') email!: string;
  @Column('text') displayName!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text', { select: false }) tokenHash!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'invitation_invited_by_fkey' })
  invitedBy!: string;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** What is stored of an invitation token, and looked up when it is accepted. */
export function invitationTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
