import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.scratch/', '.bench/', 'test/support/reporter.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "ThrowStatement > Literal", message: 'Throw typed errors, never strings.' }],
    },
  },
  {
    // Response bodies in tests are untyped JSON on purpose: the tests assert their shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../../application/*', '../../infrastructure/*', '../../api/*', 'express', 'node:*'] }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Deciders take time from the command.' }],
    },
  },
);
