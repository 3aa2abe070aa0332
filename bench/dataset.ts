/**
 * Loads the benchmark's fictional dataset (issue 14) into the database `sgc_bench_<scale>` of the PostgreSQL
 * server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a superuser, which the load
 * needs for the audit chain, see bench/dataset/steps.ts), replacing one already there. `npm run bench` loads it
 * itself when it is missing.
 *
 *   npm run bench:dataset -- --scale small|medium|national [--jobs 2]
 */
import { databaseName, loadDataset } from './dataset/load';
import { isScaleName, scaleOf } from './dataset/scale';
import { option } from './scratch-database';

async function main(): Promise<void> {
  const name = option('scale', 'small');
  if (!isScaleName(name)) throw new Error(`--scale must be small, medium or national, not "${name}"`);
  const scale = scaleOf(name);
  console.log(`loading ${name}: ${JSON.stringify(scale)}`);
  await loadDataset(databaseName(scale), scale, Number(option('jobs', '2')), (line) => console.log(line));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
