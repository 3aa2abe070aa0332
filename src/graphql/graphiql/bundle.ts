/**
 * The files of GraphiQL's browser bundle, shared by the build (which writes them), the controller (which
 * serves exactly these and nothing else) and the page's own script (which starts Monaco's workers from them).
 * Pure data: the browser entry imports it too.
 */

/** Where the page and its files are served. */
export const GRAPHIQL_PATH = '/graphiql';

/** Monaco runs each language service in a web worker of its own: one bundle per worker, by Monaco's label. */
export const WORKER_FILES = {
  editorWorkerService: 'editor.worker.js',
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
} as const;

export const SCRIPT_FILE = 'graphiql.js';
export const STYLE_FILE = 'graphiql.css';

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** Every file the build writes, with its content type. */
export const BUNDLE_FILES: ReadonlyMap<string, string> = new Map([
  [SCRIPT_FILE, JAVASCRIPT],
  [STYLE_FILE, 'text/css; charset=utf-8'],
  ...Object.values(WORKER_FILES).map((file): [string, string] => [file, JAVASCRIPT]),
]);
