// `npm run access:matrix` writes docs/access-matrix.md from the policy; `npm run access:check` (--check) fails when
// the committed file is stale, as schema:check does for schema.graphql.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { accessMatrix } from './access-matrix';

const COMMITTED = resolve('docs/access-matrix.md');

function main(): void {
  const matrix = accessMatrix();
  if (!process.argv.includes('--check')) {
    mkdirSync(dirname(COMMITTED), { recursive: true });
    writeFileSync(COMMITTED, matrix);
    return;
  }
  if (!existsSync(COMMITTED) || readFileSync(COMMITTED, 'utf8') !== matrix) {
    console.error('docs/access-matrix.md is stale: run `npm run access:matrix` and commit the result');
    process.exitCode = 1;
  }
}

main();
