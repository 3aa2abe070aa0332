import { Args, Context, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import type { Scope } from '../access/scope';
import type { NotificationAdded } from '../live/live-events.service';
import { NotificationsService } from './notifications.service';
import { NotificationType } from './notifications.types';

@Resolver(() => NotificationType)
export class NotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @Query(() => [NotificationType], { description: 'Your notifications, newest first.' })
  @CheckPolicy('read', 'Notification')
  notifications(
    @Context() ctx: Scope,
    @Args('unreadOnly', { type: () => Boolean, nullable: true }) unreadOnly?: boolean | null,
  ): Promise<NotificationType[]> {
    return this.service.list(ctx, unreadOnly ?? false);
  }

  @Subscription(() => NotificationType, {
    description: 'Each notification to you as it is added.',
    // Each event is read afresh in its own scope: only the addressee's own notification is ever returned.
    resolve(this: NotificationsResolver, event: NotificationAdded, _args: unknown, ctx: Scope) {
      return this.service.own(ctx, event.notificationId);
    },
  })
  @CheckPolicy('read', 'Notification')
  notificationAdded(@Context() ctx: Scope): AsyncIterableIterator<NotificationAdded> {
    return this.service.watch(ctx);
  }

  @Mutation(() => NotificationType, {
    description: 'Marks one of your notifications read; anyone else’s is NOT_FOUND.',
  })
  @CheckPolicy('markRead', 'Notification')
  markNotificationRead(@Context() ctx: Scope, @Args('id', { type: () => ID }) id: string): Promise<NotificationType> {
    return this.service.markRead(ctx, id);
  }
}
