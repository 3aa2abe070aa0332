import { join } from 'node:path';
import { PROJECT_ROOT } from '../graphql/graphiql/paths';

/** Where `npm run build` writes the pages' browser assets (build.ts) and the service serves them from, at /assets. */
export const ASSETS_DIRECTORY = join(PROJECT_ROOT, 'dist', 'web', 'assets');

/**
 * The pages' templates and operation documents: beside the code that uses them, in src/web when the service runs
 * from its sources (tests) and in dist/src/web when compiled, where the build copies them.
 */
export const WEB_DIRECTORY = __dirname;

/** The templates GOV.UK Frontend and MoJ Frontend ship, imported as `govuk/components/...` and `moj/components/...`. */
export const COMPONENT_TEMPLATES = [
  join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist'),
  join(PROJECT_ROOT, 'node_modules', '@ministryofjustice', 'frontend'),
];
