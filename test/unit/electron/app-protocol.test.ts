import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appUrlMatcher, resolveAppFile, serveRenderer } from '../../../electron/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.js';

const root = path.resolve('/opt/quarry/out/renderer');

describe('the quarry://app/ scheme', () => {
  it('maps app URLs to files under the renderer build', () => {
    expect(resolveAppFile(root, 'quarry://app/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'quarry://app/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'quarry://app/assets/index-abc.js?x=1#y')).toBe(path.join(root, 'assets/index-abc.js'));
  });

  it.each(['quarry://app/../../../etc/passwd', 'quarry://app/%2e%2e/%2e%2e/etc/passwd'])('keeps %s inside the build (dot segments stop at its root)', (url) => {
    const file = resolveAppFile(root, url);
    expect(file === null || file.startsWith(root + path.sep)).toBe(true);
  });

  it.each([
    'quarry://app/..%2f..%2fetc%2fpasswd',
    'quarry://app/assets/..%2f..%2f..%2fetc%2fpasswd',
    'quarry://app/assets/%00.js',
    'quarry://other/index.html',
    'file:///opt/quarry/out/renderer/index.html',
    'quarry://app/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('serves files with the CSP header and 404s anything outside the build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-proto-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<h1>Quarry</h1>');
    let handler: ((r: Request) => Promise<Response> | Response) | null = null;
    serveRenderer({ handle: (_s, h) => (handler = h) }, dir, async (url) => new Response(fs.readFileSync(new URL(url)), { headers: { 'content-type': 'text/html' } }));
    const ok = await handler!(new Request('quarry://app/index.html'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('<h1>Quarry</h1>');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('content-type')).toBe('text/html');
    expect((await handler!(new Request('quarry://app/..%2fsecret'))).status).toBe(404);
    expect((await handler!(new Request('quarry://app/missing.js'))).status).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('knows the app pages: the scheme always, the dev server only when there is one', () => {
    const packaged = appUrlMatcher(undefined);
    expect(packaged('quarry://app/index.html')).toBe(true);
    expect(packaged('quarry://evil/index.html')).toBe(false);
    expect(packaged('http://localhost:5173/')).toBe(false);
    expect(packaged('garbage')).toBe(false);
    const dev = appUrlMatcher('http://localhost:5173');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('https://localhost:5173/')).toBe(false);
  });
});
