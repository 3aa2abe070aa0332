import { describeConferenceJourney } from './conference-journey';

// GOV.UK Service Standard: the journey works without JavaScript; its own file keeps each run under a minute.
describeConferenceJourney('without JavaScript', false);
