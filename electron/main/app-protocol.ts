import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './security.js';

/**
 * The renderer is served from `quarry://app/` rather than file:// (Electron
 * security checklist: prefer a custom protocol): pages get a real origin, only
 * files under the renderer build can be read, and every response carries the CSP.
 */
export const APP_SCHEME = 'quarry';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const appSchemePrivileges = { standard: true, secure: true, supportFetchAPI: true };

/** The file under `root` a quarry://app/ URL names, or null for anything outside it or another host. */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const relative = path.relative(root, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Serves the renderer build; `fetchFile` is Electron's net.fetch (it sets the MIME type from the extension). */
export function serveRenderer(protocol: ProtocolLike, root: string, fetchFile: (fileUrl: string) => Promise<Response>): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response('not found', { status: 404 });
    let response: Response;
    try {
      response = await fetchFile(pathToFileURL(file).href);
    } catch {
      return new Response('not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** Quarry's own pages: the app scheme, plus the dev server's origin when one is running. */
export function appUrlMatcher(devServerUrl: string | undefined): (url: string) => boolean {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;
  const devSocket = devOrigin ? devOrigin.replace(/^http/, 'ws') : null;
  return (url) => {
    let origin: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
      origin = parsed.origin;
    } catch {
      return false;
    }
    return devOrigin !== null && (origin === devOrigin || origin === devSocket);
  };
}
