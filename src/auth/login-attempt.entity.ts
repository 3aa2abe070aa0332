import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed sign-ins, kept in the database so throttling holds across replicas. */
@Entity('login_attempt')
@Index('login_attempt_email_idx', ['email', 'attemptedAt'])
@Index('login_attempt_address_idx', ['address', 'attemptedAt'])
// Pruning finds the oldest rows (migration LoginAttemptPruning).
@Index('login_attempt_attempted_at_idx', ['attemptedAt'])
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  /** The normalised email tried, known account or not, so unknown emails are throttled the same way. */
  @Column('text') email!: string;
  @Column('text') address!: string;
  @Column('timestamptz', { default: () => 'now()' }) attemptedAt!: Date;
}
