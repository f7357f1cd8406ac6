import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** Calls that must go through one guarded wrapper each (see CONVENTIONS.md). */
const guardedCalls = [
  {
    selector: "CallExpression[callee.property.name='openExternal']",
    message: 'Open links only through safeOpenExternal() in electron/security/open-external.ts.',
  },
  {
    selector: "CallExpression[callee.object.name='ipcMain'][callee.property.name=/^(handle|on|handleOnce|once)$/]",
    message: 'Register IPC only through the validated wrapper in electron/ipc/.',
  },
];

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...guardedCalls],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['electron/security/open-external.ts', 'electron/ipc/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
