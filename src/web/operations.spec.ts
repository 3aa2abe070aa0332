import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { PROJECT_ROOT } from '../graphql/graphiql/paths';

/** Every operation document beside the pages, by its path in the repository. */
const documents = readdirSync(__dirname, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.graphql'))
  .map((entry) => join(entry.parentPath, entry.name));

describe("the pages' operations", () => {
  const schema = buildSchema(readFileSync(join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));

  it('are there to check', () => {
    expect(documents.length).toBeGreaterThanOrEqual(8);
  });

  it.each(documents.map((file) => [relative(PROJECT_ROOT, file), file]))(
    '%s is one named operation, valid against schema.graphql',
    (_name, file) => {
      const document = parse(readFileSync(file, 'utf8'));
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations.map((operation) => Boolean(operation.name))).toEqual([true]);
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    },
  );
});
