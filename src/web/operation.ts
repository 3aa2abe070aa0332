import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';

/** A GraphQL document a page runs: one named operation, kept in a `.graphql` file beside the page. */
export interface Operation {
  readonly name: string;
  readonly text: string;
}

/**
 * Reads an operation document once, when its page's module loads, so a malformed one stops the service from
 * starting rather than failing a person's request. That each is valid against the schema is checked by
 * src/web/operations.spec.ts against schema.graphql.
 */
export function operation(directory: string, file: string): Operation {
  const text = readFileSync(join(directory, file), 'utf8');
  const operations = parse(text).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const name = operations.length === 1 ? operations[0].name?.value : undefined;
  if (!name) throw new Error(`${file} must hold exactly one named operation`);
  return { name, text };
}
