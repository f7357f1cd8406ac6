/**
 * The one way Quarry opens a link outside the app (ESLint forbids calling
 * openExternal anywhere else): http and https only, no embedded credentials,
 * so a finding's "reference link" can never launch a local program or a
 * file: / smb: / custom-scheme handler.
 */
export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  // user:pass@host links are a classic phishing disguise and would put a credential in the browser history.
  return parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
}

export async function safeOpenExternal(shell: ShellLike, url: string): Promise<boolean> {
  if (!isSafeExternalUrl(url)) return false;
  // The one openExternal in Quarry, reached only after the http(s) check above.
  await shell.openExternal(new URL(url).href); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}
