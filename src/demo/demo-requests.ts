import type { EntityManager } from 'typeorm';
import { InvolvementBasis } from '../common/enums/children';
import { NotificationKind } from '../notifications/notification.entity';
import type { DemoChildren } from './demo-children';
import type { DemoPeople } from './demo-people';

/**
 * One involvement request waiting, so that a newcomer sees how a known child is joined: the youth service met
 * Mia Clarke at a drop-in, found her record by a match and asked to be involved. That opened nothing; St Anne's
 * and children's services, who hold her record, decide, and their leads were told.
 */
export async function seedDemoRequests(
  manager: EntityManager,
  people: DemoPeople,
  children: DemoChildren,
): Promise<void> {
  const requester = people.users['practitioner@youth-service.demo'];
  const [request] = await manager.query(
    `INSERT INTO involvement_request (child_id, requesting_agency_id, requested_by, basis, reason, identifiers,
                                      matched_on, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, now() - interval '2 hours') RETURNING id`,
    [
      children.mia,
      people.agencies['youth-service'],
      requester,
      InvolvementBasis.YOUTH_WORK,
      'Mia came to our Friday drop-in twice with older teenagers we know from county lines work.',
      '[]',
      ['childId'],
    ],
  );
  if (!request) throw new Error('demo involvement request not seeded');
  for (const lead of ['dsl@st-annes.demo', 'social-worker@childrens-services.demo']) {
    await manager.query(`INSERT INTO notification (user_id, kind, message, child_id) VALUES ($1, $2, $3, $4)`, [
      people.users[lead],
      NotificationKind.INVOLVEMENT_REQUESTED,
      'Northbridge Youth Service asks to become involved with a child your agency works with (YOUTH_WORK)',
      children.mia,
    ]);
  }
}
