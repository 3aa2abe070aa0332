import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '*.cjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Type-aware rules: a promise nobody awaits loses its error (an audit insert, a rollback) silently.
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['test/**', 'libs/testing/**', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // The permission model lives in src/access alone (DESIGN §3): services and repositories ask it for decisions and
  // visibility, and never compare routes or roles themselves.
  {
    files: ['src/**/*.service.ts', 'src/**/*.repository.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='AccessRoute']",
          message: 'Routes are compared in src/access only: ask it for a decision (requireOnChild, routeOpens...).',
        },
        {
          selector: "MemberExpression[object.name='Role']",
          message: 'Roles are named in src/access only (roles.ts and the *.rules.ts): ask it for a decision.',
        },
        {
          selector: "MemberExpression[property.name='roles'][parent.type='MemberExpression']",
          message: 'Which roles someone holds is for src/access to judge: ask it for a decision.',
        },
      ],
    },
  },
  // Benchmarks report their figures on standard output.
  { files: ['bench/**'], rules: { 'no-console': 'off' } },
);
