import { describe, expect, it, vi } from 'vitest';
import { isSafeExternalUrl, safeOpenExternal } from '../../../electron/security/open-external.js';

describe('safeOpenExternal', () => {
  it.each(['https://www.virustotal.com/gui/ip-address/203.0.113.7', 'http://intranet.example/ticket/42'])('opens %s', async (url) => {
    const shell = { openExternal: vi.fn(async () => {}) };
    await expect(safeOpenExternal(shell, url)).resolves.toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith(url);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://attacker.example/share',
    'ms-msdt:/id PCWDiagnostic',
    'vbscript:msgbox',
    'data:text/html,<script>1</script>',
    'https://user:pass@bank.example/',
    'not a url',
    '',
  ])('refuses %s and never calls the shell', async (url) => {
    const shell = { openExternal: vi.fn(async () => {}) };
    await expect(safeOpenExternal(shell, url)).resolves.toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('is case-insensitive about the scheme, as the URL parser is', () => {
    expect(isSafeExternalUrl('HTTPS://example.com/')).toBe(true);
    expect(isSafeExternalUrl('FILE:///c:/windows')).toBe(false);
  });
});
