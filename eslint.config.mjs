import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', require: 'readonly', module: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/**', '**/migrations/**', 'knex', 'express', 'pg', 'better-sqlite3', 'ioredis', 'bullmq'], message: 'n8n node files must not import the engine or its dependencies.' }] }],
    },
  },
  { files: ['scripts/**/*.js', 'bench/**/*.ts', 'test/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    // The browser client: no server code, no Node built-ins, and fetch only through dashboard/src/api.ts.
    files: ['dashboard/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/engine/**', '**/migrations/**', '**/nodes/**', 'node:*'], message: 'The dashboard runs in the browser and talks to the engine only over HTTP.' }] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call the API through dashboard/src/api.ts.' }],
    },
  },
  { files: ['dashboard/src/api.ts'], rules: { 'no-restricted-globals': 'off' } },
);
