import { build } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../graphql/graphiql/paths';
import { ASSETS_DIRECTORY } from './web-paths';

const SOURCES = join(PROJECT_ROOT, 'src', 'web');
const GOVUK_ASSETS = join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'assets');
const MOJ = join(PROJECT_ROOT, 'node_modules', '@ministryofjustice', 'frontend', 'moj');
const MOJ_IMAGES = join(MOJ, 'assets', 'images');

/**
 * The stylesheet: GOV.UK Frontend's and MoJ Frontend's compiled CSS as they ship it, then the service's few rules.
 * Joined, not rebundled: the shipped files are already minified, and keep browser hacks a CSS parser refuses.
 */
const STYLESHEETS = [
  join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.css'),
  join(MOJ, 'moj-frontend.min.css'),
  join(SOURCES, 'assets', 'service.css'),
];

async function writeStylesheet(outdir: string): Promise<void> {
  const sheets = await Promise.all(STYLESHEETS.map((file) => readFile(file, 'utf8')));
  await writeFile(join(outdir, 'application.css'), sheets.join('\n'));
}

/** The templates and operation documents, which tsc does not copy: the compiled pages read them beside themselves. */
async function copyTemplatesAndOperations(): Promise<void> {
  const compiled = join(PROJECT_ROOT, 'dist', 'src', 'web');
  const entries = await readdir(SOURCES, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/\.(njk|graphql)$/.test(entry.name)) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(compiled, relative(SOURCES, source));
    await mkdir(dirname(target), { recursive: true });
    await cp(source, target);
  }
}

/**
 * Builds the pages' browser assets into dist/web/assets, served by the service itself (no CDN): one stylesheet,
 * GOV.UK's fonts and images and MoJ's images (the stylesheets ask for /assets/fonts and /assets/images), and two
 * scripts bundled with esbuild. `js-enabled.js` is the external form of
 * the snippet GOV.UK's template inlines (the CSP allows no inline script); `application.js` starts the
 * components, the timeout warning and the header's live unread count (graphql-ws's client, bundled in from
 * node_modules at build time, as GraphiQL's build bundles GraphiQL). Every page works without either.
 */
export async function buildWebAssets(): Promise<void> {
  const outdir = ASSETS_DIRECTORY;
  // A file an earlier build wrote and this one does not is gone, not served stale.
  await rm(outdir, { recursive: true, force: true });
  await cp(GOVUK_ASSETS, outdir, { recursive: true });
  await cp(MOJ_IMAGES, join(outdir, 'images'), { recursive: true, force: false, errorOnExist: false });
  const common = {
    bundle: true,
    minify: true,
    target: 'es2020',
    legalComments: 'eof',
    logLevel: 'warning',
    outdir,
  } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: [{ in: join(SOURCES, 'assets', 'application.ts'), out: 'application' }],
      platform: 'browser',
      format: 'esm',
      // The header's live count subscribes with an operation document kept beside it, checked like the pages'.
      loader: { '.graphql': 'text' },
    }),
    build({
      ...common,
      entryPoints: [{ in: join(SOURCES, 'assets', 'js-enabled.ts'), out: 'js-enabled' }],
      platform: 'browser',
      format: 'iife',
    }),
    writeStylesheet(outdir),
    copyTemplatesAndOperations(),
  ]);
}

if (require.main === module) {
  buildWebAssets().then(
    () => console.error(`pages' assets built in ${ASSETS_DIRECTORY}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
