import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';

/**
 * A signed-in session. Tokens carry its id, and every request re-reads it with the user and membership, so
 * logout, deactivation and role changes take effect on the very next request.
 */
@Entity('auth_session')
// A session with an agency acts for the person's membership of it.
@ForeignKey(() => MembershipEntity, ['userId', 'agencyId'], ['userId', 'agencyId'], {
  name: 'auth_session_user_id_agency_id_fkey',
})
@Index('auth_session_user_idx', ['userId'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'auth_session_user_id_fkey' })
  userId!: string;
  /** The membership this session acts for; null only for a platform admin without one. */
  @Column('uuid', { nullable: true })
  @ForeignKey(() => AgencyEntity, { name: 'auth_session_agency_id_fkey' })
  agencyId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
}
