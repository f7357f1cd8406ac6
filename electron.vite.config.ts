import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { SAMPLE_HUNTS_BUNDLE_DIR, SAMPLE_HUNTS_SOURCE_DIR } from './engine/sample/hunts.js';

/** The sample hunts are YAML files read at first start; the engine looks for them next to its bundle. */
function copySampleHunts(): Plugin {
  return {
    name: 'quarry-copy-sample-hunts',
    writeBundle(options) {
      const outDir = options.dir ?? resolve('out/main');
      cpSync(resolve(SAMPLE_HUNTS_SOURCE_DIR), resolve(outDir, SAMPLE_HUNTS_BUNDLE_DIR), { recursive: true });
    },
  };
}

/**
 * Three builds: main (with the engine host as a second entry, run in a
 * utilityProcess, and the store's writer thread as a third), the sandboxed preload (CommonJS, everything bundled),
 * and the Svelte renderer. Dependencies, native modules among them
 * (better-sqlite3, keytar), stay external and are unpacked from asar.
 */
export default defineConfig({
  main: {
    plugins: [copySampleHunts()],
    build: {
      rollupOptions: {
        // The reports engine imports Playwright lazily for the CLI's PDF export (a dev tool, not shipped):
        // left as a runtime import so the app bundle neither contains nor needs it.
        external: ['playwright', 'playwright-core'],
        input: {
          index: resolve('electron/main/index.ts'),
          'engine-host': resolve('electron/engine-host/index.ts'),
          // The store's writer thread: started by the engine from the file next to its bundle (engine/runs/writer-thread.ts).
          'result-writer-thread': resolve('engine/runs/result-writer-thread.ts'),
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
