import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { BUNDLE_DIRECTORY, PROJECT_ROOT } from './paths';
import { BUNDLE_FILES, SCRIPT_FILE, WORKER_FILES } from './bundle';

const WORKER_ENTRIES: Record<keyof typeof WORKER_FILES, string> = {
  editorWorkerService: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};

/** A worker must be the Monaco that GraphiQL runs, so it is found from GraphiQL's editor package. */
function workerSource(entry: string): string {
  const graphiqlReact = dirname(require.resolve('@graphiql/react/package.json', { paths: [PROJECT_ROOT] }));
  return require.resolve(entry, { paths: [graphiqlReact] });
}

/** The page's script, read from the sources: tsc does not compile it (it runs in a browser, not in Node). */
const PAGE_ENTRY = join(PROJECT_ROOT, 'src', 'graphql', 'graphiql', 'browser', 'index.ts');

const withoutExtension = (file: string) => file.replace(/\.js$/, '');

/**
 * Bundles GraphiQL (React, Monaco, the GraphQL language service) into the few files of BUNDLE_FILES, so the
 * development server serves the IDE itself and the page loads nothing from a CDN. The page's script is one
 * file (no code splitting: GraphiQL's lazy imports are inlined) and each Monaco worker another.
 */
export async function buildGraphiql(): Promise<string[]> {
  const outdir = BUNDLE_DIRECTORY;
  // A file an earlier build wrote and this one does not is gone, not served stale.
  await rm(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'es2022',
    // Licence notices stay with the code they cover.
    legalComments: 'eof',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;
  const page = build({
    ...common,
    entryPoints: [{ in: PAGE_ENTRY, out: withoutExtension(SCRIPT_FILE) }],
    outdir,
    format: 'esm',
    // Monaco's codicon font, in the stylesheet itself rather than one more file to serve.
    loader: { '.ttf': 'dataurl' },
    metafile: true,
  });
  // Workers are started as classic scripts, which every browser supports.
  const workers = build({
    ...common,
    entryPoints: Object.entries(WORKER_ENTRIES).map(([label, entry]) => ({
      in: workerSource(entry),
      out: withoutExtension(WORKER_FILES[label as keyof typeof WORKER_FILES]),
    })),
    outdir,
    format: 'iife',
    metafile: true,
  });
  const written = (await Promise.all([page, workers])).flatMap((result) => Object.keys(result.metafile.outputs));
  const files = written.map((path) => relative(outdir, path)).sort();
  // The server serves BUNDLE_FILES only: a file the build adds or stops writing must change that list too.
  if (JSON.stringify(files) !== JSON.stringify([...BUNDLE_FILES.keys()].sort())) {
    throw new Error(`the GraphiQL build wrote ${files.join(', ')}, not the files the server serves`);
  }
  return files;
}

if (require.main === module) {
  buildGraphiql().then(
    (files) => console.error(`GraphiQL bundled: ${files.join(', ')}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
