import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../agencies/user.entity';
import { ChildEntity } from '../children/child.entity';
import { sqlList } from '../database/sql-list';

/** What a notification is about (contract.graphql NotificationKind). */
export enum NotificationKind {
  CONFERENCE_INVITATION = 'CONFERENCE_INVITATION',
  REPORT_DUE = 'REPORT_DUE',
  CONFERENCE_DECIDED = 'CONFERENCE_DECIDED',
  DEADLINE_APPROACHING = 'DEADLINE_APPROACHING',
  ACTION_OVERDUE = 'ACTION_OVERDUE',
  BREAK_GLASS_TO_REVIEW = 'BREAK_GLASS_TO_REVIEW',
  ACCESS_GRANTED = 'ACCESS_GRANTED',
  INVOLVEMENT_REQUESTED = 'INVOLVEMENT_REQUESTED',
  INVOLVEMENT_DECIDED = 'INVOLVEMENT_DECIDED',
  NON_PUNISHMENT_OUTCOME = 'NON_PUNISHMENT_OUTCOME',
}

/** One message to one person; read when they mark it so. */
@Entity('notification')
@Check('notification_kind_check', `kind IN (${sqlList(NotificationKind)})`)
@Check('notification_message_check', 'length(message) BETWEEN 1 AND 2000')
@Index('notification_user_idx', ['userId', 'createdAt'])
@Index('notification_unread_idx', ['userId', 'createdAt'], { where: 'read_at IS NULL' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'notification_user_id_fkey' })
  userId!: string;
  @Column('text') kind!: NotificationKind;
  @Column('text') message!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) readAt!: Date | null;
  @Column('uuid', { nullable: true }) conferenceId!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => ChildEntity, { name: 'notification_child_id_fkey' })
  childId!: string | null;
}
