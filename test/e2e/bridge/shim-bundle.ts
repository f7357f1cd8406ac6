import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

let bundled: Promise<string> | null = null;

/** browser-shim.ts and the client code it imports, as one classic script for addInitScript (built once per process). */
export function shimScript(): Promise<string> {
  bundled ??= (async () => {
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser-shim.ts');
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry, formats: ['iife'], name: 'quarryBridgeShim', fileName: () => 'shim.js' },
      },
    });
    const outputs = Array.isArray(out) ? out : [out];
    const chunk = outputs.flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('the bridge shim did not build');
    return chunk.code;
  })();
  return bundled;
}
