import { GRAPHIQL_PATH, WORKER_FILES } from '../bundle';

/**
 * Monaco asks this environment for each language service's worker by label. GraphiQL's own helpers load the
 * workers from a CDN (esm.sh) or need Vite's or webpack's worker loaders; here each worker is a bundle of its
 * own, built beside the page and served by the app, so nothing is fetched from elsewhere.
 */
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const file =
      label in WORKER_FILES ? WORKER_FILES[label as keyof typeof WORKER_FILES] : WORKER_FILES.editorWorkerService;
    return new Worker(`${GRAPHIQL_PATH}/${file}`, { name: label });
  },
};
