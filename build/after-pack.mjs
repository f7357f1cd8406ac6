// electron-builder afterPack hook: flips Electron's fuses in the packaged
// binary, so the shipped app cannot be turned into a general Node runtime or
// have its code swapped (https://www.electronjs.org/docs/latest/tutorial/fuses).
import path from 'node:path';
import * as electronFuses from '@electron/fuses';

/** The fuse settings per target platform. */
export function fuseConfig(platform, FuseVersion, FuseV1Options) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Re-sign ad hoc on macOS (arm64 refuses a binary whose signature the flip invalidated); electron-builder signs for real afterwards.
    resetAdHocDarwinSignature: platform === 'darwin',
    [FuseV1Options.RunAsNode]: false, // ELECTRON_RUN_AS_NODE would make Quarry a Node interpreter with its keychain access
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, // no NODE_OPTIONS=--require injection
    [FuseV1Options.EnableNodeCliInspectArguments]: false, // no --inspect debugger attach
    // electron-builder writes the asar hash into Info.plist on macOS; elsewhere the check has nothing to verify against.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer is served from quarry://app/, never file://, so file: needs no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** The Electron executable inside the packed output, as @electron/fuses expects it (the .app bundle on macOS). */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

export default async function afterPack(context, fuses = electronFuses) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  await fuses.flipFuses(electronBinary(context), fuseConfig(platform, fuses.FuseVersion, fuses.FuseV1Options));
}
