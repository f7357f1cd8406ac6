import { describe, expect, it, vi } from 'vitest';
import { handleDesktop, isTrustedSender, UntrustedSenderError, type IpcEventLike, type IpcMainLike, type SenderPolicy } from '../../../electron/ipc/typed-ipc.js';
import { registerDesktopHandlers } from '../../../electron/ipc/desktop-handlers.js';
import { desktopChannels } from '../../../electron/ipc/channels.js';

const APP_WINDOW = 7;
const policy: SenderPolicy = {
  isAppWindow: (id) => id === APP_WINDOW,
  isAppUrl: (url) => url.startsWith('quarry://app/'),
};
const noOpenDialog = async () => ({ canceled: true, filePaths: [] });
const grantPath = async () => {};
const topFrame = (url: string) => ({ url, parent: null });
const event = (id: number, frame: IpcEventLike['senderFrame']): IpcEventLike => ({ sender: { id }, senderFrame: frame });

/** A stand-in for ipcMain that records handlers so a test can invoke them as a renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, (e: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  const invoke = async (channel: string, e: IpcEventLike, ...args: unknown[]) => handlers.get(channel)!(e, ...args);
  return { ipcMain, invoke, handlers };
}

describe('the IPC sender check', () => {
  it('accepts the top frame of an app window showing the app', () => {
    expect(isTrustedSender(event(APP_WINDOW, topFrame('quarry://app/index.html')), policy)).toBe(true);
  });

  it.each([
    ['a window main did not create', event(99, topFrame('quarry://app/index.html'))],
    ['a page that navigated elsewhere', event(APP_WINDOW, topFrame('https://evil.example/'))],
    ['a subframe', event(APP_WINDOW, { url: 'quarry://app/index.html', parent: topFrame('quarry://app/index.html') })],
    ['a destroyed frame', event(APP_WINDOW, null)],
  ])('refuses %s', (_what, e) => {
    expect(isTrustedSender(e, policy)).toBe(false);
  });
});

describe('handleDesktop, the one IPC registration wrapper', () => {
  it('runs the handler for a trusted sender and refuses an untrusted one without running it', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const handler = vi.fn(async (url: string) => url.startsWith('https:'));
    handleDesktop(ipcMain, policy, 'openLink', (a) => [String(a[0])], handler);

    await expect(invoke(desktopChannels.openLink, event(APP_WINDOW, topFrame('quarry://app/')), 'https://x.example')).resolves.toBe(true);
    expect(handler).toHaveBeenCalledTimes(1);

    await expect(invoke(desktopChannels.openLink, event(99, topFrame('quarry://app/')), 'https://x.example')).rejects.toThrow(UntrustedSenderError);
    await expect(invoke(desktopChannels.openLink, event(APP_WINDOW, topFrame('https://evil.example/')), 'https://x.example')).rejects.toThrow(/did not come from a Quarry window/);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('validates arguments before the handler sees them', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const setThemeSource = vi.fn();
    registerDesktopHandlers(ipcMain, policy, {
      shell: { openExternal: vi.fn(async () => {}) },
      showSaveDialog: vi.fn(async () => ({ canceled: true })),
      showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })),
      documentsDir: '/home/h/Documents',
      grantPath,
      setThemeSource,
    });
    const trusted = event(APP_WINDOW, topFrame('quarry://app/index.html'));
    await invoke(desktopChannels.setTheme, trusted, 'light');
    expect(setThemeSource).toHaveBeenCalledWith('light');
    await expect(invoke(desktopChannels.setTheme, trusted, 'neon')).rejects.toThrow();
    await expect(invoke(desktopChannels.openLink, trusted, { href: 'https://x' })).rejects.toThrow();
    expect(setThemeSource).toHaveBeenCalledTimes(1);
  });

  it('registers every desktop method, each behind the check', async () => {
    const { ipcMain, handlers, invoke } = fakeIpcMain();
    const services = {
      shell: { openExternal: vi.fn(async () => {}) },
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/tmp/x.html' })),
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/tmp/x.csv'] })),
      documentsDir: '/docs',
      grantPath: vi.fn(grantPath),
      setThemeSource: vi.fn(),
    };
    registerDesktopHandlers(ipcMain, policy, services);
    expect([...handlers.keys()].sort()).toEqual(Object.values(desktopChannels).sort());
    const untrusted = event(APP_WINDOW, { url: 'quarry://app/', parent: topFrame('quarry://app/') });
    for (const channel of handlers.keys()) await expect(invoke(channel, untrusted, 'dark')).rejects.toThrow(UntrustedSenderError);
    expect(services.shell.openExternal).not.toHaveBeenCalled();
    expect(services.showSaveDialog).not.toHaveBeenCalled();
    expect(services.showOpenDialog).not.toHaveBeenCalled();
    expect(services.setThemeSource).not.toHaveBeenCalled();
    expect(services.grantPath).not.toHaveBeenCalled();
  });

  it('lets the page name the file, never the folder, in the save dialog', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/docs/report.html' }));
    registerDesktopHandlers(ipcMain, policy, { shell: { openExternal: async () => {} }, showSaveDialog, showOpenDialog: noOpenDialog, documentsDir: '/docs', grantPath, setThemeSource: () => {} });
    const trusted = event(APP_WINDOW, topFrame('quarry://app/'));
    const chosen = await invoke(desktopChannels.chooseSavePath, trusted, { title: 'Export', defaultName: '../../etc/passwd', extensions: ['html'] });
    expect(chosen).toBe('/docs/report.html');
    expect(showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: '/docs/.._.._etc_passwd' }));
  });

  it('asks for one existing file to open, with the filters the page asked for, and returns its path', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/h/Downloads/SigninLogs.csv.gz'] }));
    registerDesktopHandlers(ipcMain, policy, { shell: { openExternal: async () => {} }, showSaveDialog: vi.fn(), showOpenDialog, documentsDir: '/docs', grantPath, setThemeSource: () => {} });
    const trusted = event(APP_WINDOW, topFrame('quarry://app/'));
    const filters = [{ name: 'Logs', extensions: ['csv', 'jsonl', 'gz'] }, { name: 'All files', extensions: ['*'] }];
    expect(await invoke(desktopChannels.chooseOpenPath, trusted, { title: 'Import logs', filters })).toBe('/home/h/Downloads/SigninLogs.csv.gz');
    // openFile only: never a folder, never several files, whatever the page sends.
    expect(showOpenDialog).toHaveBeenCalledWith({ title: 'Import logs', filters, properties: ['openFile'] });

    showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await invoke(desktopChannels.chooseOpenPath, trusted, { title: 'Import logs', filters })).toBeNull();
  });

  it.each([
    ['an extension with a dot or a path', { title: 'Open', filters: [{ name: 'Logs', extensions: ['../csv'] }] }],
    ['a filter without extensions', { title: 'Open', filters: [{ name: 'Logs', extensions: [] }] }],
    ['dialog properties of its own', { title: 'Open', filters: [], properties: ['openDirectory', 'multiSelections'] }],
    ['no request', undefined],
  ])('refuses an open request with %s before the dialog shows', async (_what, request) => {
    const { ipcMain, invoke } = fakeIpcMain();
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/etc/passwd'] }));
    registerDesktopHandlers(ipcMain, policy, { shell: { openExternal: async () => {} }, showSaveDialog: vi.fn(), showOpenDialog, documentsDir: '/docs', grantPath, setThemeSource: () => {} });
    await expect(invoke(desktopChannels.chooseOpenPath, event(APP_WINDOW, topFrame('quarry://app/')), request)).rejects.toThrow();
    expect(showOpenDialog).not.toHaveBeenCalled();
  });
});

describe('file dialogs grant the picked path to the engine', () => {
  /** A grant main has sent but the engine has not yet acknowledged, so each test decides when it lands. */
  function pendingGrants() {
    const grants: Array<{ path: string; access: string; ack(): void; fail(e: Error): void }> = [];
    const grantPath = vi.fn((path: string, access: string) => new Promise<void>((ack, fail) => grants.push({ path, access, ack, fail })));
    return { grants, grantPath };
  }
  const settled = async <T>(p: Promise<T>): Promise<{ done: boolean }> => {
    const state = { done: false };
    void p.then(() => (state.done = true), () => (state.done = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    return state;
  };
  const trusted = event(APP_WINDOW, topFrame('quarry://app/'));

  it('returns a saved-to path only once the engine holds a write grant for it', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const { grants, grantPath } = pendingGrants();
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/docs/report.html' }));
    registerDesktopHandlers(ipcMain, policy, { shell: { openExternal: async () => {} }, showSaveDialog, showOpenDialog: noOpenDialog, documentsDir: '/docs', grantPath, setThemeSource: () => {} });
    const chosen = invoke(desktopChannels.chooseSavePath, trusted, { title: 'Export', defaultName: 'report.html', extensions: ['html'] });
    expect((await settled(chosen)).done).toBe(false);
    expect(grants.map((g) => [g.path, g.access])).toEqual([['/docs/report.html', 'write']]);
    grants[0]!.ack();
    await expect(chosen).resolves.toBe('/docs/report.html');
  });

  it('returns an opened path only once the engine holds a read grant for it, and fails if the grant does', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const { grants, grantPath } = pendingGrants();
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/home/h/SigninLogs.csv'] }));
    registerDesktopHandlers(ipcMain, policy, { shell: { openExternal: async () => {} }, showSaveDialog: vi.fn(), showOpenDialog, documentsDir: '/docs', grantPath, setThemeSource: () => {} });
    const request = { title: 'Import logs', filters: [] };
    const first = invoke(desktopChannels.chooseOpenPath, trusted, request);
    expect((await settled(first)).done).toBe(false);
    expect(grants.map((g) => [g.path, g.access])).toEqual([['/home/h/SigninLogs.csv', 'read']]);
    grants[0]!.ack();
    await expect(first).resolves.toBe('/home/h/SigninLogs.csv');

    // An engine that never took the grant: the page gets an error, not a path the engine would refuse.
    const second = invoke(desktopChannels.chooseOpenPath, trusted, request);
    await settled(second);
    grants[1]!.fail(new Error('the engine is not running'));
    await expect(second).rejects.toThrow(/not running/);
  });

  it('grants nothing when the user cancels', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const { grantPath } = pendingGrants();
    registerDesktopHandlers(ipcMain, policy, {
      shell: { openExternal: async () => {} },
      showSaveDialog: vi.fn(async () => ({ canceled: true })),
      showOpenDialog: noOpenDialog,
      documentsDir: '/docs',
      grantPath,
      setThemeSource: () => {},
    });
    expect(await invoke(desktopChannels.chooseSavePath, trusted, { title: 'Export', defaultName: 'r.html', extensions: ['html'] })).toBeNull();
    expect(await invoke(desktopChannels.chooseOpenPath, trusted, { title: 'Import logs', filters: [] })).toBeNull();
    expect(grantPath).not.toHaveBeenCalled();
  });
});
