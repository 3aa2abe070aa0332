import { Field, ID, ObjectType } from '@nestjs/graphql';
import { NotificationKind } from './notification.entity';

@ObjectType('Notification', { description: 'One message to you; only you see it.' })
export class NotificationType {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field() message!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
  @Field(() => ID, { nullable: true }) conferenceId!: string | null;
  @Field(() => ID, { nullable: true }) childId!: string | null;
}
