import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed-in session. Tokens carry its id, and every request re-reads it with the user and membership, so
 * logout, deactivation and role changes take effect on the very next request.
 */
@Entity('auth_session')
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  /** The membership this session acts for; null only for a platform admin without one. */
  @Column('uuid', { nullable: true }) agencyId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
}
