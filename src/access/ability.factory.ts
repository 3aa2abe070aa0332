import { Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { AppAbility, buildAbility, RuleSet } from './app-ability';
import { auditRules } from './audit.rules';
import { childRecordRules } from './child-record.rules';
import { chronologyRules } from './chronology.rules';
import { conferenceRules } from './conference.rules';
import { involvementRequestRules } from './involvement-requests.rules';
import { notificationRules } from './notifications.rules';
import { nonPunishmentRules } from './non-punishment.rules';
import { nrmRules } from './nrm.rules';
import { peopleRules } from './people.rules';
import { sharingRules } from './sharing.rules';
import { statisticsRules } from './statistics.rules';

/** The whole permission model, in the order a reader should meet it. Default deny: no rule, no access. */
export const RULE_SETS: readonly RuleSet[] = [
  peopleRules,
  childRecordRules,
  involvementRequestRules,
  chronologyRules,
  auditRules,
  sharingRules,
  conferenceRules,
  nrmRules,
  nonPunishmentRules,
  statisticsRules,
  notificationRules,
];

@Injectable()
export class AbilityFactory {
  forActor(actor: Actor): AppAbility {
    return buildAbility(actor, RULE_SETS);
  }
}
