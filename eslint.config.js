import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const readSide = ['**/projections/**', '**/audit/**'];
const outer = [
  '**/api/**',
  '**/consumers/**',
  '**/infrastructure/**',
  '**/roles/**',
  '**/cli/**',
  '**/container.js',
  '**/system.js',
  '**/main.js',
];
const layer = (message, ...group) => ({ group, message });

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'data/',
      '.scratch/',
      '.bench/',
      'test/support/reporter.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ThrowStatement > Literal', message: 'Throw typed errors, never strings.' },
      ],
    },
  },
  {
    // Response bodies in tests are untyped JSON on purpose: the tests assert their shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The arrows of the design (ARCHITECTURE.md, "Layout"): imports point inwards, and only the
  // composition root (container.ts, main.ts) knows an adapter.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('the domain imports nothing of ours', '**/application/**', ...readSide, ...outer),
            layer('deciders are pure: no framework, no I/O', 'express', 'node:*'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Deciders take time from the command.' },
      ],
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('application imports the domain and the ports only', ...readSide, ...outer),
          ],
        },
      ],
    },
  },
  {
    files: ['src/projections/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'read models never import audit, the edges or an adapter',
              '**/audit/**',
              ...outer,
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/audit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('audit reads the log and read models; never the edges or an adapter', ...outer),
          ],
        },
      ],
    },
  },
  {
    files: ['src/api/**/*.ts', 'src/consumers/**/*.ts', 'src/roles/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer('only the composition root knows an adapter', '**/infrastructure/**')] },
      ],
    },
  },
  {
    files: ['src/infrastructure/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'adapters implement ports; they never reach the edges or the read side',
              ...readSide,
              ...outer.filter((p) => p !== '**/infrastructure/**'),
            ),
          ],
        },
      ],
    },
  },
);
