import { initAll as initGovukFrontend } from 'govuk-frontend';
import { initAll as initMojFrontend } from '@ministryofjustice/frontend';
import { startLiveNotifications } from './live-notifications';
import { startTimeoutWarning } from './timeout-warning';

initGovukFrontend();
initMojFrontend();
startTimeoutWarning(document);
startLiveNotifications(document);
