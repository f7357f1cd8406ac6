import type { Session, WebContents } from 'electron';

/**
 * The renderer's Content-Security-Policy, sent as a response header with every
 * app page (renderer/index.html carries the same policy as a meta tag, less
 * frame-ancestors which only works as a header; a unit test keeps them equal). Nothing remote: scripts, styles, images and
 * connections come from the app's own origin only.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

/**
 * Every permission request (camera, geolocation, notifications from the page,
 * ...) is denied, and the renderer cannot fetch anything but the app itself:
 * http(s) and ws(s) requests are cancelled unless they go to the dev server.
 */
export function hardenSession(session: SessionLike, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) =>
    callback({ cancel: !isAppUrl(details.url) }),
  );
  // The dev server's pages get the same policy as the packaged app's; the app scheme sets it itself.
  // Electronegativity rates this LOW for script-src 'self' ("problematic if you host JSONP or uploads"):
  // the app origin serves only the built renderer bundle, nothing user-supplied.
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ],
      },
    }),
  );
}

export type WebContentsLike = Pick<WebContents, 'setWindowOpenHandler'> & {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void; url?: string }, ...rest: unknown[]) => void): unknown;
};

/**
 * No navigation away from the app and no new windows. A link the user clicks
 * (window.open or target=_blank) goes to their browser through the guarded
 * opener, which accepts only http(s); everything else is dropped.
 */
export function hardenWebContents(contents: WebContentsLike, openExternal: (url: string) => Promise<boolean>): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url);
    return { action: 'deny' };
  });
}
