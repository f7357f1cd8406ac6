import type { QuarryClient } from '../../engine/client';
import type { DesktopApi } from '../../electron/ipc/channels';

declare global {
  interface Window {
    /** The engine API and the shell's desktop methods, exposed by the preload (or by the e2e bridge in tests). */
    quarry: QuarryClient & { desktop: DesktopApi };
  }
}

export {};
