import { desktopChannels, type DesktopApi } from './channels.js';

/** The parts of Electron's IPC event and frame the sender check reads (WebFrameMain, IpcMainInvokeEvent). */
export interface IpcFrame {
  url: string;
  parent: IpcFrame | null;
}
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: IpcFrame | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}

export interface SenderPolicy {
  /** The webContents is one of the windows main created. */
  isAppWindow(webContentsId: number): boolean;
  /** The URL is Quarry's own page (the app scheme, or the dev server in development). */
  isAppUrl(url: string): boolean;
}

/**
 * True only for the top frame of one of Quarry's windows showing Quarry's own
 * page. Everything else (an iframe, a navigated-away or destroyed frame, a
 * webContents main did not create) is refused.
 */
export function isTrustedSender(event: IpcEventLike, policy: SenderPolicy): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return policy.isAppWindow(event.sender.id) && policy.isAppUrl(frame.url);
}

export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`refused ${channel}: the request did not come from a Quarry window`);
    this.name = 'UntrustedSenderError';
  }
}

type Args<K extends keyof DesktopApi> = Parameters<DesktopApi[K]>;
type Result<K extends keyof DesktopApi> = Awaited<ReturnType<DesktopApi[K]>>;

/**
 * The only way main registers an IPC handler (ESLint forbids ipcMain.handle
 * elsewhere): checks the sender first, then validates the arguments, then runs
 * the handler, so a handler never sees an untrusted or malformed call.
 */
export function handleDesktop<K extends keyof DesktopApi>(
  ipcMain: IpcMainLike,
  policy: SenderPolicy,
  name: K,
  parseArgs: (args: unknown[]) => Args<K>,
  handler: (...args: Args<K>) => Result<K> | Promise<Result<K>>,
): void {
  const channel = desktopChannels[name];
  ipcMain.handle(channel, (event, ...args) => {
    if (!isTrustedSender(event, policy)) throw new UntrustedSenderError(channel);
    return handler(...parseArgs(args));
  });
}
