import path from 'node:path';
import type { OpenPathRequest, SavePathRequest } from '../../../electron/ipc/channels.js';
import type { Bridge } from './server.js';

export interface DialogStandIns {
  chooseSavePath(req: SavePathRequest): Promise<string>;
  chooseOpenPath(req: OpenPathRequest): Promise<string | null>;
  /** What the open dialog returns from now on, as if the user picked that file; null is a cancelled dialog. */
  pickNext(file: string | null): void;
}

/**
 * Main's file dialogs for the e2e tests, on the Node side of the bridge as
 * they are in main: the "user" saves into `saveDir` under the suggested name,
 * and opens what the test picked; each path is granted to the engine before
 * the page gets it, exactly as electron/ipc/desktop-handlers.ts does.
 */
export function dialogStandIns(bridge: Pick<Bridge, 'grantPath'>, saveDir: string): DialogStandIns {
  let nextOpen: string | null = null;
  return {
    async chooseSavePath(req) {
      const file = path.join(saveDir, path.basename(req.defaultName.replace(/[\\/]/g, '_')));
      await bridge.grantPath(file, 'write');
      return file;
    },
    async chooseOpenPath() {
      if (!nextOpen) return null;
      await bridge.grantPath(nextOpen, 'read');
      return nextOpen;
    },
    pickNext(file) {
      nextOpen = file;
    },
  };
}
