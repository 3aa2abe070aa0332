/**
 * Fitness checks of the architecture (DESIGN §3), run by `npm run lint`. Each rule names the layering it keeps.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      comment:
        'Feature modules (src/<module>) depend on each other in one direction only: a cycle means two modules are one, ' +
        'or a rule lives in the wrong one.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'services-know-nothing-of-graphql',
      comment:
        'Services and repositories hold the rules and the SQL for every caller (resolvers, pages, jobs, subscriptions): ' +
        'they take a scope and throw domain errors; only src/graphql and resolvers speak GraphQL.',
      severity: 'error',
      from: { path: '\\.(service|repository)\\.ts$' },
      to: { path: ['^node_modules/(graphql|@nestjs/graphql|@nestjs/apollo|@apollo)/', '^src/graphql/'] },
    },
    {
      name: 'access-knows-nothing-of-graphql',
      comment: 'The permission model is the same for every transport.',
      severity: 'error',
      from: { path: '^src/access/' },
      to: { path: ['^node_modules/(graphql|@nestjs/graphql|@nestjs/apollo|@apollo)/', '^src/graphql/'] },
    },
    {
      name: 'pages-reach-data-through-graphql-only',
      comment:
        'A page gets and changes data only by running GraphQL operations as the signed-in person (src/web/page-graphql.ts), ' +
        'so access, audit, limits and error codes are exactly the API\'s (issue 12): it imports no service, repository, ' +
        'entity, resolver, loader, access rule or database code.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: [
          '\\.(service|repository|entity|resolver|loader|rules|visibility|decisions)\\.ts$',
          '^src/database/',
          '^src/access/',
          '^node_modules/(typeorm|pg)/',
        ],
      },
    },
    {
      name: 'libs-know-nothing-of-the-app',
      comment: 'libs/ are reusable mechanics with no domain knowledge.',
      severity: 'error',
      from: { path: '^libs/(?!testing/)' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Entities are the schema: a foreign key points from one module's table to another's, so their imports say
    // nothing about how the modules' logic depends on each other. Tests may reach anywhere.
    exclude: { path: ['\\.spec\\.ts$', '\\.e2e-spec\\.ts$', '\\.entity\\.ts$'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
