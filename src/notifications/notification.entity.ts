import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a notification is about (contract.graphql NotificationKind). */
export enum NotificationKind {
  CONFERENCE_INVITATION = 'CONFERENCE_INVITATION',
  REPORT_DUE = 'REPORT_DUE',
  CONFERENCE_DECIDED = 'CONFERENCE_DECIDED',
  DEADLINE_APPROACHING = 'DEADLINE_APPROACHING',
  ACTION_OVERDUE = 'ACTION_OVERDUE',
  BREAK_GLASS_TO_REVIEW = 'BREAK_GLASS_TO_REVIEW',
  ACCESS_GRANTED = 'ACCESS_GRANTED',
}

/** One message to one person; read when they mark it so. */
@Entity('notification')
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column('text') kind!: NotificationKind;
  @Column('text') message!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) readAt!: Date | null;
  @Column('uuid', { nullable: true }) conferenceId!: string | null;
  @Column('uuid', { nullable: true }) childId!: string | null;
}
