import os from 'node:os';
import path from 'node:path';

/**
 * The data directory: `--data-dir` beats `QUARRY_DATA_DIR`, which beats the OS
 * app-data folder (the same folder Electron's `app.getPath('userData')` gives).
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.QUARRY_DATA_DIR) return path.resolve(env.QUARRY_DATA_DIR);
  return defaultAppDataDir(env);
}

export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Quarry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Quarry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Quarry');
}
