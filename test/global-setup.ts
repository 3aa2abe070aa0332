import { buildWebAssets } from '../src/web/build';

/**
 * The pages' assets are built once, before any test file starts: test files building them side by side, in
 * parallel workers, removed each other's files mid-build.
 */
export default async function globalSetup(): Promise<void> {
  await buildWebAssets();
}
