import type { RuleSet } from './app-ability';
import { childReadingMembership } from './roles';

/**
 * The chronology (concerns) and risk assessments (DESIGN §4). Subjects: 'Concern', 'RiskAssessment'.
 *
 * Who, by role:
 * - Everyone who reads child records reads the chronology and the current risk: the chronology IS the shared
 *   picture that multi-agency working exists for (Working Together 2023: "no single practitioner has the full
 *   picture"). Prosecutors need it for the non-punishment "reason to believe" step; chairs for the conference.
 * - Recording concerns (`record Concern`) and assessing risk (`assess RiskAssessment`) are granted in
 *   child-record.rules.ts with the other recording roles: PRACTITIONER, SAFEGUARDING_LEAD, SOCIAL_WORKER and
 *   POLICE_OFFICER record ("PRACTITIONER reads and records concerns"; police share intelligence under
 *   restriction); health staff are PRACTITIONERs. Prosecutors and chairs read and decide, they do not observe
 *   the child, so they do not record. Only SAFEGUARDING_LEAD and SOCIAL_WORKER assess risk.
 *
 * Which rows, by route (applied in SQL by chronology.visibility.ts, never by dropping rows):
 * - A concern is visible when the viewer reaches its child by some route AND (the viewer's agency wrote it, OR
 *   its tier is among the tiers the viewer's routes open): INVOLVED and BREAK_GLASS open STANDARD plus
 *   HEALTH_CONFIDENTIAL to HEALTH and POLICE_RESTRICTED to POLICE and PROSECUTION; GRANTED opens the tiers in
 *   the grant; CONFERENCE opens STANDARD. An invisible concern is absent from lists and NOT_FOUND by id
 *   (as an amendment target too), never FORBIDDEN: even its existence can compromise an investigation.
 * - Risk assessments carry a tier too (STANDARD unless the assessor restricts it) and follow the same rule;
 *   `currentRisk` is the newest one the viewer may see. A STANDARD assessment is a summary meant for every
 *   agency around the child, conference attendees included, so it is written to be shared.
 * - Recording (a concern or a risk assessment) needs the INVOLVED or BREAK_GLASS route: only an agency that
 *   works with the child (or a professional in an emergency, whose access is reviewed) adds to its record.
 *   A GRANTED or CONFERENCE route is for reading what was shared; writing through it is FORBIDDEN.
 */
export const chronologyRules: RuleSet = (actor, { can }) => {
  if (!childReadingMembership(actor)) return;
  can('read', 'Concern');
  can('read', 'RiskAssessment');
};
