/** Jest runs TypeScript through SWC. NestJS 12, Apollo 5, jose, PGlite and pg-boss ship ESM only; Jest on Node 20 cannot
 * require them, so they are transformed to CommonJS like our own code. */
const esmOnly = ['@nestjs', '@apollo', '@as-integrations', 'jose', '@electric-sql', '@whatwg-node', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'load-esm', 'pg-boss', 'serialize-error', 'non-error', 'content-disposition'];
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testMatch: ['<rootDir>/{src,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.ts',
};
