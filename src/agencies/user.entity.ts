import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person who signs in. Table `app_user` because `user` is reserved in SQL. */
@Entity('app_user')
@Check('app_user_email_check', `email = lower(btrim(email)) AND email LIKE '_%@_%'`)
@Check('app_user_display_name_check', 'length(btrim(display_name)) BETWEEN 1 AND 200')
@Check('app_user_platform_deactivated_check', 'NOT (platform_deactivated AND active)')
@Index('app_user_email_key', ['email'], { unique: true })
@Index('app_user_platform_admin_idx', ['platformAdmin'], { where: 'platform_admin' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stored lower-cased and trimmed; unique. */
  @Column('text') email!: string;
  @Column('text') displayName!: string;
  /** argon2id; null until the invitation is accepted. */
  @Column('text', { nullable: true, select: false }) passwordHash!: string | null;
  /** Creates agencies and their first admins; never sees child data. */
  @Column('boolean', { default: false }) platformAdmin!: boolean;
  @Column('boolean', { default: true }) active!: boolean;
  /** Deactivated by the platform admin: no invitation brings the account back, only the platform admin does. */
  @Column('boolean', { default: false }) platformDeactivated!: boolean;
  @Column('boolean', { default: false }) demo!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
