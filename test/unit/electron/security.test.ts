import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents, type SessionLike, type WebContentsLike } from '../../../electron/main/security.js';
import { appUrlMatcher } from '../../../electron/main/app-protocol.js';

type Listener = (event: { preventDefault(): void; url?: string }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, l: Listener) => listeners.set(name, l),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  } as unknown as WebContentsLike;
  const fire = (name: string, url: string) => {
    const event = { preventDefault: vi.fn(), url };
    listeners.get(name)!(event);
    return event.preventDefault;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

function fakeSession() {
  const calls: Record<string, (...args: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: never) => (calls.request = h),
    setPermissionCheckHandler: (h: never) => (calls.check = h),
    webRequest: {
      onBeforeRequest: (_filter: unknown, h: never) => (calls.before = h),
      onHeadersReceived: (h: never) => (calls.headers = h),
    },
  } as unknown as SessionLike;
  return { session, calls };
}

describe('window hardening', () => {
  it('prevents every navigation, redirect and webview', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn());
    expect(fire('will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(fire('will-navigate', 'quarry://app/other.html')).toHaveBeenCalled();
    expect(fire('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
    expect(fire('will-attach-webview', 'https://evil.example/')).toHaveBeenCalled();
  });

  it('denies window.open and hands the link to the guarded opener instead', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn(async () => true);
    hardenWebContents(contents, openExternal);
    expect(open('https://www.virustotal.com/gui/domain/x.example')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://www.virustotal.com/gui/domain/x.example', 'file:///etc/passwd']);
  });
});

describe('session hardening', () => {
  it('denies every permission request and check', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, appUrlMatcher(undefined));
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      (calls.request as (...a: unknown[]) => void)({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect((calls.check as (...a: unknown[]) => boolean)({}, permission)).toBe(false);
    }
  });

  it('cancels remote requests and lets only the dev server through', () => {
    for (const [dev, url, cancel] of [
      [undefined, 'https://cdn.example/lib.js', true],
      [undefined, 'http://localhost:5173/', true],
      ['http://localhost:5173', 'http://localhost:5173/src/main.ts', false],
      ['http://localhost:5173', 'ws://localhost:5173/', false],
      ['http://localhost:5173', 'http://localhost:5174/', true],
    ] as const) {
      const { session, calls } = fakeSession();
      hardenSession(session, appUrlMatcher(dev));
      const callback = vi.fn();
      (calls.before as (...a: unknown[]) => void)({ url }, callback);
      expect(callback, `${url} with dev server ${dev}`).toHaveBeenCalledWith({ cancel });
    }
  });

  it('sends the CSP header, the same policy as the meta tag in renderer/index.html (which cannot carry frame-ancestors)', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, appUrlMatcher(undefined));
    const callback = vi.fn();
    (calls.headers as (...a: unknown[]) => void)({ responseHeaders: { 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('allows no remote or inline script in the policy', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });
});
