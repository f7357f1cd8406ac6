import { build } from 'electron-vite';

/** The tests run the renderer as built for the app: build it (main, preload and renderer) once per test run. */
export default async function setup(): Promise<void> {
  if (process.env.QUARRY_E2E_SKIP_BUILD === '1') return;
  await build({ logLevel: 'warn' } as Parameters<typeof build>[0]);
}
