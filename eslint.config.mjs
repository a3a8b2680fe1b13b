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
      // Type-checked rules that still have findings in the tree (counts of 2026-12-01, about 240 in all):
      // off until they are fixed, one rule at a time, so that `npm run lint` stays green meanwhile.
      // Every other rule of recommendedTypeChecked is on. Not turned off as unreasonable: each is to
      // be fixed (see notes/12-i12b.md).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off', // ~82 left (casts TypeScript no longer needs)
      '@typescript-eslint/no-unsafe-member-access': 'off', // 70, most in test/src/deploy.test.ts (parsed YAML)
      '@typescript-eslint/require-await': 'off', // 36
      '@typescript-eslint/no-unsafe-assignment': 'off', // 20
      '@typescript-eslint/no-unsafe-enum-comparison': 'off', // 9
      '@typescript-eslint/no-unsafe-argument': 'off', // 8
      '@typescript-eslint/no-unsafe-call': 'off', // 7
      '@typescript-eslint/no-unsafe-return': 'off', // 6
      '@typescript-eslint/no-base-to-string': 'off', // 2
      '@typescript-eslint/no-floating-promises': 'off', // 1 (dashboard DataTable export)
      '@typescript-eslint/unbound-method': 'off', // 1 (bench hive-auth)
      '@typescript-eslint/no-misused-promises': 'off', // 1 (bench hive server)
      '@typescript-eslint/no-redundant-type-constituents': 'off', // 1 (e2e consultation test)
    },
  },
);
