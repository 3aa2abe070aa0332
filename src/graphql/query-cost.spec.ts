import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { costLimitRule, estimatedCost } from './query-cost';

const schema = buildSchema(`
  type Query { items(first: Int = 20, after: String): ItemConnection! item: Item }
  type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! }
  type ItemEdge { cursor: String! node: Item! }
  type PageInfo { hasNextPage: Boolean! }
  type Item { id: ID! tags: [String!]! related: [Item!]! items(first: Int = 5): ItemConnection! }
`);

function costOf(document: string): number {
  const costs: number[] = [];
  validate(schema, parse(document), [
    (context) => ({ OperationDefinition: (op) => void costs.push(estimatedCost(context, op)) }),
  ]);
  return costs[0];
}

describe('the estimated cost of a query: the most fields its answer could hold', () => {
  it('counts each field once, objects and lists of scalars alike', () => {
    expect(costOf('{ item { id tags ... on Item { id } } }')).toBe(4);
  });

  it('counts a page as the first it asks for', () => {
    // items, edges, and 10 x (node, id)
    expect(costOf('{ items(first: 10) { edges { node { id } } } }')).toBe(22);
  });

  it('counts the default page when first is left out or null', () => {
    expect(costOf('{ items { edges { node { id } } } }')).toBe(42);
    expect(costOf('{ items(first: null) { edges { node { id } } } }')).toBe(42);
  });

  it('counts the largest page for a variable, whose value is not known while validating', () => {
    expect(costOf('query ($n: Int) { items(first: $n) { edges { node { id } } } }')).toBe(202);
  });

  it('counts a page size out of range as the nearest allowed one, leaving the refusal to the resolver', () => {
    expect(costOf('{ items(first: 1000) { edges { node { id } } } }')).toBe(202);
    expect(costOf('{ items(first: 0) { edges { node { id } } } }')).toBe(4);
  });

  it('multiplies nested pages, and counts an unpaged list of objects as ten', () => {
    expect(costOf('{ items(first: 10) { edges { node { items(first: 5) { edges { node { id } } } } } } }')).toBe(132);
    expect(costOf('{ item { related { id } } }')).toBe(12);
    expect(costOf('{ item { related { related { id } } } }')).toBe(112);
  });

  it('counts fragments as if written out', () => {
    const spread =
      'fragment F on Item { id related { id } } { item { ...F } items(first: 2) { edges { node { ...F } } } }';
    expect(costOf(spread)).toBe(
      costOf('{ item { id related { id } } items(first: 2) { edges { node { id related { id } } } } }'),
    );
  });

  it('costs a fragment spread in a fan of fragments once, so a small document cannot make it slow', () => {
    const levels = Array.from(
      { length: 60 },
      (_, i) => `fragment F${i + 1} on Item { a: related { ...F${i} } b: related { ...F${i} } }`,
    );
    // Walked spread by spread, this document has 2^60 paths: the answer comes back at all only because each
    // fragment's cost is computed once. No clock is read: how fast is the benchmark's business.
    expect(costOf(`{ item { ...F60 } } fragment F0 on Item { id } ${levels.join(' ')}`)).toBeGreaterThan(1e60);
  });

  it('stops at a fragment cycle, which validation refuses anyway', () => {
    // item and related; the spread that closes the cycle counts nothing
    expect(costOf('{ item { ...A } } fragment A on Item { related { ...A } }')).toBe(2);
  });

  it('leaves introspection of the whole schema free for developer tools, but not __type', () => {
    expect(costOf('{ __schema { types { name fields { name } } } }')).toBe(0);
    expect(costOf('{ __type(name: "Item") { fields { name } } }')).toBe(12);
  });

  it('refuses an operation over the limit with the given message, and no other', () => {
    const refusals = (maxCost: number) =>
      validate(schema, parse('{ items(first: 10) { edges { node { id } } } }'), [costLimitRule(maxCost, 'too much')]);
    expect(refusals(22)).toEqual([]);
    expect(refusals(21)).toEqual([new GraphQLError('too much')]);
  });
});
