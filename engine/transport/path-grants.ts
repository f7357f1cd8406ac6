import path from 'node:path';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';

/**
 * The file paths a window may hand the engine: only those the user picked in
 * main's open or save dialog. Main (or the e2e bridge standing in for it)
 * grants each picked path with a `grant-path` message before the page learns
 * it; the window-side dispatcher (path-guard.ts) checks and uses them up.
 */
export type PathAccess = 'read' | 'write';

export interface GrantPathMessage {
  type: 'grant-path';
  /** Echoed in the acknowledgement, so main returns the path only once the grant is in place. */
  id: number;
  path: string;
  access: PathAccess;
}
export interface PathGrantedMessage {
  type: 'path-granted';
  id: number;
}

/** Long enough to pick options in the import dialog and retry a failed import; short enough not to linger. */
export const GRANT_TTL_MS = 10 * 60_000;

export function isGrantPathMessage(msg: unknown): msg is GrantPathMessage {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return m.type === 'grant-path' && typeof m.id === 'number' && typeof m.path === 'string' && (m.access === 'read' || m.access === 'write');
}

export function isPathGrantedMessage(msg: unknown): msg is PathGrantedMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'path-granted' && typeof (msg as { id?: unknown }).id === 'number';
}

export class PathGrants {
  private readonly grants = new Map<string, { access: PathAccess; expiresAt: number }>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly ttlMs = GRANT_TTL_MS,
  ) {}

  /** Only absolute paths (false for any other): a relative one would resolve against whatever directory the engine runs in. */
  grant(file: string, access: PathAccess): boolean {
    if (!path.isAbsolute(file)) return false;
    this.grants.set(this.key(file, access), { access, expiresAt: this.clock.now().getTime() + this.ttlMs });
    return true;
  }

  /** Whether `file` was picked for `access` and has not expired. */
  allows(file: string, access: PathAccess): boolean {
    if (!path.isAbsolute(file)) return false;
    const key = this.key(file, access);
    const g = this.grants.get(key);
    if (!g) return false;
    if (this.clock.now().getTime() >= g.expiresAt) {
      this.grants.delete(key);
      return false;
    }
    return true;
  }

  /**
   * Marks a checked path as used: a write grant is good for one write (each
   * export asks where to save), a read grant stays until it expires so a
   * failed or cancelled import can be retried without picking the file again.
   */
  use(file: string, access: PathAccess): void {
    if (access === 'write') this.grants.delete(this.key(file, access));
  }

  private key(file: string, access: PathAccess): string {
    return `${access}:${path.resolve(file)}`;
  }
}

/**
 * What the engine host does with a control message from main, and what the e2e
 * bridge does when its dialog stand-ins pick a path: grant it and say which
 * acknowledgement to send. Null for any other message. A path that cannot be
 * granted is still acknowledged: the page then gets it, and the engine refuses it.
 */
export function receivePathGrant(grants: PathGrants, msg: unknown): PathGrantedMessage | null {
  if (!isGrantPathMessage(msg)) return null;
  grants.grant(msg.path, msg.access);
  return { type: 'path-granted', id: msg.id };
}
