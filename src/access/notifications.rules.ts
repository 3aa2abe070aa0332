import type { RuleSet } from './app-ability';
import type { Actor } from './actor';

/**
 * Notifications (DESIGN §4: disclosure follows the subject). Subject: 'Notification', with `{ userId }`.
 *
 * A notification is one message to one person: only that person reads it or marks it read. Someone else's is
 * NOT_FOUND, as if it did not exist, whoever asks (an agency admin included): what it says is about a child or a
 * conference its addressee was told of, not its colleagues. Live delivery (`notificationAdded`) reads each one
 * back through this same rule, as its addressee, when it arrives.
 *
 * Each kind goes only to people who may see its subject when it is raised:
 * - CONFERENCE_INVITATION: the child-reading people of each invited agency, who see and answer the invitation
 *   before the child opens to them (conference.visibility.ts); the message gives the date only.
 * - REPORT_DUE: the person who accepted for their agency, who writes its report (conference.decisions.ts).
 * - CONFERENCE_DECIDED: `conferenceAudience`: those of the chair's and invited agencies who see the conference;
 *   a colleague of an invitee whose agency knows the child only through the conference is not told.
 * - ACCESS_GRANTED: the leads of the agency the record was shared with.
 * - BREAK_GLASS_TO_REVIEW: the reviewers of the user's own agency and of the involved agencies, who review it.
 * - INVOLVEMENT_REQUESTED / INVOLVEMENT_DECIDED: the request's deciders; its requester.
 * - DEADLINE_APPROACHING, ACTION_OVERDUE (reminders) and NON_PUNISHMENT_OUTCOME are raised by their own modules;
 *   a reminder about a conference goes to `conferenceAudience` like its decision.
 */
export const notificationRules: RuleSet = (actor, { can }) => {
  can(['read', 'markRead'], 'Notification', { userId: actor.userId });
};

/** The notifications (`notification` aliased `notification`) addressed to the actor; appends its value to `values`. */
export function ownNotification(actor: Actor, notification: string, values: unknown[]): string {
  values.push(actor.userId);
  return `${notification}.user_id = $${values.length}::uuid`;
}
