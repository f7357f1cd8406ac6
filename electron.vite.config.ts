import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Three builds: main (with the engine host as a second entry, run in a
 * utilityProcess), the sandboxed preload (CommonJS, everything bundled),
 * and the Svelte renderer. Dependencies, native modules among them
 * (better-sqlite3, keytar), stay external and are unpacked from asar.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'engine-host': resolve('electron/engine-host/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: { rollupOptions: { input: resolve('renderer/index.html') } },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
