import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import yaml from 'yaml';
import fs from 'node:fs';

// @ts-expect-error -- a plain .mjs hook for electron-builder, without type declarations
import afterPack, { fuseConfig } from '../../../build/after-pack.mjs';

const hook = afterPack as (context: unknown, fuses?: unknown) => Promise<void>;
const configFor = fuseConfig as (platform: string, v: typeof FuseVersion, o: typeof FuseV1Options) => Record<string, unknown>;

const context = (platform: string) => ({
  appOutDir: '/dist/out',
  electronPlatformName: platform,
  packager: { appInfo: { productFilename: 'Quarry' }, executableName: 'quarry' },
});

describe('the afterPack fuses hook', () => {
  it.each([
    ['linux', '/dist/out/quarry'],
    ['win32', '/dist/out/Quarry.exe'],
    ['darwin', '/dist/out/Quarry.app'],
  ])('flips the fuses of the %s binary, closing every way to run it as something else', async (platform, binary) => {
    const flipFuses = vi.fn(async () => 0);
    await hook(context(platform), { flipFuses, FuseVersion, FuseV1Options });
    expect(flipFuses).toHaveBeenCalledTimes(1);
    const [file, config] = flipFuses.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(file).toBe(path.normalize(binary));
    expect(config).toMatchObject({
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin',
    });
  });

  it('sets every fuse this @electron/fuses knows (strict mode would reject a missing one)', () => {
    const config = configFor('linux', FuseVersion, FuseV1Options);
    for (const option of Object.values(FuseV1Options).filter((v) => typeof v === 'number')) expect(config[option as number], `fuse ${option}`).toBeTypeOf('boolean');
  });

  it('is the hook electron-builder.yml runs, and native modules are unpacked from asar', () => {
    const config = yaml.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../electron-builder.yml'), 'utf8'));
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/keytar/**']));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });
});
