import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/*.js',
      '**/*.mjs',
      // Generated from the published schema by GraphQL Code Generator.
      'dashboard/src/generated/**',
      'examples/vendor/src/gql/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Each file is checked with the types of the nearest tsconfig.json (sources and tests alike).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Every rule of recommendedTypeChecked is on, but one: require-await. An async function without
      // an await is how this code implements interfaces that must return promises (Apollo Server's
      // plugin hooks, its data sources and caches, test doubles of fetch's Response); writing each as
      // a plain function returning Promise.resolve(...) would read worse and change nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests compare with jest's asymmetric matchers (expect.any, expect.stringMatching,
    // expect.objectContaining), which @types/jest types as any: passing them along is the point.
    files: ['**/test/**/*.ts', 'test/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
