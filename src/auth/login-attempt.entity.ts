import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Failed sign-ins, kept in the database so throttling holds across replicas. */
@Entity('login_attempt')
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  /** The normalised email tried, known account or not, so unknown emails are throttled the same way. */
  @Column('text') email!: string;
  @Column('text') address!: string;
  @Column('timestamptz', { default: () => 'now()' }) attemptedAt!: Date;
}
