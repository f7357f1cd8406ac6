import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRANT_TTL_MS, PathGrants, receivePathGrant } from '../../../engine/transport/path-grants.js';

function clockAt(ms = 0) {
  const clock = { ms, now: () => new Date(clock.ms) };
  return clock;
}

describe('path grants', () => {
  it('allows a granted path for its own access only', () => {
    const grants = new PathGrants(clockAt());
    grants.grant('/home/h/logs.csv', 'read');
    expect(grants.allows('/home/h/logs.csv', 'read')).toBe(true);
    expect(grants.allows('/home/h/logs.csv', 'write')).toBe(false);
    expect(grants.allows('/home/h/other.csv', 'read')).toBe(false);
  });

  it('compares resolved absolute paths and never grants a relative one', () => {
    const grants = new PathGrants(clockAt());
    grants.grant('/home/h/Documents/report.html', 'write');
    expect(grants.allows('/home/h/Documents/../Documents/./report.html', 'write')).toBe(true);
    expect(grants.allows('/home/h/Documents/report.html/../../.bashrc', 'write')).toBe(false);
    expect(grants.grant('report.html', 'write')).toBe(false);
    // Resolved against the engine's working directory this would match; relative paths are never allowed.
    grants.grant(path.join(process.cwd(), 'a.csv'), 'read');
    expect(grants.allows('a.csv', 'read')).toBe(false);
  });

  it('lets a write grant be used once and a read grant until it expires', () => {
    const clock = clockAt(1000);
    const grants = new PathGrants(clock);
    grants.grant('/out/r.csv', 'write');
    grants.grant('/in/l.csv', 'read');
    grants.use('/out/r.csv', 'write');
    grants.use('/in/l.csv', 'read');
    expect(grants.allows('/out/r.csv', 'write')).toBe(false);
    expect(grants.allows('/in/l.csv', 'read')).toBe(true);
    clock.ms += GRANT_TTL_MS - 1;
    expect(grants.allows('/in/l.csv', 'read')).toBe(true);
    clock.ms += 1;
    expect(grants.allows('/in/l.csv', 'read')).toBe(false);
  });

  it('takes grant messages and answers with the acknowledgement main waits for', () => {
    const grants = new PathGrants(clockAt());
    expect(receivePathGrant(grants, { type: 'grant-path', id: 3, path: '/in/l.csv', access: 'read' })).toEqual({ type: 'path-granted', id: 3 });
    expect(grants.allows('/in/l.csv', 'read')).toBe(true);
    expect(receivePathGrant(grants, { type: 'grant-path', id: 4, path: '/etc/passwd', access: 'everything' })).toBeNull();
    expect(receivePathGrant(grants, { type: 'connect' })).toBeNull();
    expect(receivePathGrant(grants, null)).toBeNull();
    expect(grants.allows('/etc/passwd', 'read')).toBe(false);
  });
});
