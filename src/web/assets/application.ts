import { initAll as initGovukFrontend } from 'govuk-frontend';
import { initAll as initMojFrontend } from '@ministryofjustice/frontend';
import { startTimeoutWarning } from './timeout-warning';

initGovukFrontend();
initMojFrontend();
startTimeoutWarning(document);
