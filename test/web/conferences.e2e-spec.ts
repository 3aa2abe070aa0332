import { describeConferenceJourney } from './conference-journey';

describeConferenceJourney('with JavaScript', true);
