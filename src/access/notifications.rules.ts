import type { RuleSet } from './app-ability';
import type { Actor } from './actor';

/**
 * Notifications (DESIGN §4: disclosure follows the subject). Subject: 'Notification', with `{ userId }`.
 *
 * A notification is one message to one person: only that person reads it or marks it read. Someone else's is
 * NOT_FOUND, as if it did not exist, whoever asks (an agency admin included): what it says is about a child or a
 * conference its addressee was told of, not its colleagues.
 */
export const notificationRules: RuleSet = (actor, { can }) => {
  can(['read', 'markRead'], 'Notification', { userId: actor.userId });
};

/** The notifications (`notification` aliased `notification`) addressed to the actor; appends its value to `values`. */
export function ownNotification(actor: Actor, notification: string, values: unknown[]): string {
  values.push(actor.userId);
  return `${notification}.user_id = $${values.length}::uuid`;
}
