import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The architecture's fitness checks (`npm run lint`) catch what they are for: a service that compares routes or
 * roles itself, a service that speaks GraphQL, and modules that depend on each other in a cycle. Each planted
 * offence is written into a scratch folder of src/ (so the lint configuration applies to it as to real code),
 * checked with the project's own configuration, and removed.
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

async function failures(command: string, args: string[]): Promise<string> {
  try {
    await run(bin(command), args, { cwd: ROOT });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return `${stdout}${stderr}`;
  }
}

describe('the fitness checks in lint', () => {
  // Type-aware ESLint builds the TypeScript program first: seconds alone, much more on a loaded machine.
  jest.setTimeout(180_000);

  const scratch = `fitness-${process.pid}`;
  const dir = join(ROOT, 'src', scratch);
  const plant = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
    return `src/${scratch}/${file}`;
  };

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a service that compares an access route itself', async () => {
    const file = plant(
      'planted.service.ts',
      `import { AccessRoute } from '../access/child-access';
export function mayRecord(route: AccessRoute): boolean {
  return route === AccessRoute.INVOLVED;
}
`,
    );
    expect(await failures('eslint', [file])).toContain('Routes are compared in src/access only');
  });

  it('refuses a service that checks a role itself', async () => {
    const file = plant(
      'planted.service.ts',
      `import type { ActingMembership } from '../access/actor';
export function isLead(membership: ActingMembership): boolean {
  return membership.roles.length > 0;
}
`,
    );
    expect(await failures('eslint', [file])).toContain('Which roles someone holds is for src/access to judge');
  });

  it('refuses a service that imports graphql', async () => {
    plant(
      'planted.service.ts',
      `import { GraphQLError } from 'graphql';\nexport const refusal = new GraphQLError('no');\n`,
    );
    const report = await failures('depcruise', [`src/${scratch}`, '--config', '.dependency-cruiser.cjs']);
    expect(report).toContain('services-know-nothing-of-graphql');
  });

  it('refuses modules that import each other', async () => {
    plant('one/one.service.ts', `import { two } from '../two/two.service';\nexport const one = () => two();\n`);
    plant('two/two.service.ts', `import { one } from '../one/one.service';\nexport const two = (): number => one();\n`);
    const report = await failures('depcruise', [`src/${scratch}`, '--config', '.dependency-cruiser.cjs']);
    expect(report).toContain('no-module-cycles');
  });

  it('passes the code as it is', async () => {
    expect(await failures('depcruise', ['src', 'libs', '--config', '.dependency-cruiser.cjs'])).toBe('');
  });
});
