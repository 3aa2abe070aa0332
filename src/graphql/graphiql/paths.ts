import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder up with a package.json: the project, whether this runs compiled from dist/ or from src/. */
function projectRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

export const PROJECT_ROOT = projectRoot();

/** Where `npm run build` writes GraphiQL's browser bundle and the development server reads it from. */
export const BUNDLE_DIRECTORY = join(PROJECT_ROOT, 'dist', 'graphiql');
