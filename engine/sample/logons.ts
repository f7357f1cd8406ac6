import { planted, plantedOffsets } from './planted.js';
import { NETBIOS, legacyHost, publicIp, serverByRole, type Host } from './org.js';
import { DAY, HOUR, MINUTE, SECOND, between, type GenContext } from './context.js';

/**
 * SecurityEvent 4624/4625: interactive logons and unlocks on workstations,
 * network logons to file servers and domain controllers, machine accounts,
 * service accounts, admins' RDP, contractors RDPing into the internet-facing
 * RDS server and the internet scanning it. Noise on purpose: a decommissioned
 * host whose task still uses svc_backup's old password fails every half hour
 * all week (many failures, one account, never a success).
 * Planted: a brute force against the RDS server's Administrator that succeeds.
 */

const ACT = { 4624: '4624 - An account was successfully logged on.', 4625: '4625 - An account failed to log on.' } as const;
const scannerNames = ['administrator', 'Administrator', 'admin', 'user', 'test', 'guest', 'rdp', 'scanner', 'support'] as const;

interface Logon {
  ok: boolean;
  host: Host;
  type: number;
  domain: string;
  user: string;
  machine?: boolean;
  ip: string | null;
  from: string | null;
}

export function generateLogons(ctx: GenContext): void {
  const { rng, org, timeline } = ctx;
  const logon = (t: number, l: Logon): void => {
    const id = l.ok ? 4624 : 4625;
    ctx.emit('SecurityEvent', [
      t, l.host.computer, id, ACT[id], `${l.domain}\\${l.user}`, l.machine ? 'Machine' : 'User', l.type, l.ip, l.from, l.user,
      null, null, null, l.type === 2 || l.type === 7 ? `${l.host.name}$` : null,
    ]);
  };
  const rdpSession = (t: number, src: string, action: 'allow' | 'deny'): void => {
    ctx.emit('CommonSecurityLog', [
      t, 'Palo Alto Networks', 'PAN-OS', 'TRAFFIC', src, rng.int(49152, 65535), serverByRole('rds')[0]!.ip, 3389, null, null, 'tcp', action,
      rng.int(2_000, 40_000), rng.int(4_000, 900_000),
    ]);
  };
  const [fs] = serverByRole('file');
  const dcs = serverByRole('dc');
  const rds = serverByRole('rds')[0]!;

  for (const w of ctx.schedule) {
    const u = w.user;
    const ws = u.workstation;
    const me = { domain: NETBIOS, user: u.sam };
    const local = { ...me, host: ws, ip: '127.0.0.1', from: ws.name };
    if (rng.chance(0.03)) logon(w.start - rng.int(5, 20) * SECOND, { ...local, ok: false, type: 2 });
    logon(w.start, { ...local, ok: true, type: 2 });
    for (let i = rng.int(1, 4); i > 0; i--) {
      const t = between(rng, w.start + HOUR, w.end);
      if (rng.chance(0.02)) logon(t - rng.int(4, 15) * SECOND, { ...local, ok: false, type: 7 });
      logon(t, { ...local, ok: true, type: 7 });
    }
    const network = { ...me, ok: true, type: 3, ip: ws.ip, from: ws.name };
    for (let i = rng.int(1, 5); i > 0; i--) logon(between(rng, w.start, w.end), { ...network, host: fs! });
    for (let i = rng.int(2, 6); i > 0; i--) logon(between(rng, w.start, w.end), { ...network, host: rng.pick(dcs) });
    if (u.admin) {
      for (const s of rng.sample(org.servers.filter((x) => x.role !== 'dc'), rng.int(1, 3))) {
        logon(between(rng, w.start, w.end), { ...me, ok: true, type: 10, host: s, ip: ws.ip, from: ws.name });
      }
    }
  }

  for (const day of timeline.days()) {
    const anyTime = (): number => between(rng, day.start, day.start + DAY);
    // Every machine account talks to a DC several times a day.
    for (const ws of org.users.map((u) => u.workstation)) {
      for (let i = rng.int(1, 3); i > 0; i--) {
        logon(anyTime(), { ok: true, type: 3, host: rng.pick(dcs), domain: NETBIOS, user: `${ws.name}$`, machine: true, ip: ws.ip, from: ws.name });
      }
    }
    for (const s of org.servers) {
      for (let i = rng.int(1, 3); i > 0; i--) {
        logon(anyTime(), { ok: true, type: 5, host: s, domain: 'NT AUTHORITY', user: 'SYSTEM', ip: null, from: null });
      }
    }
    // The nightly backup logs on to every server it protects.
    const backup = serverByRole('backup')[0]!;
    for (const s of org.servers.filter((x) => ['file', 'sql', 'app', 'web'].includes(x.role))) {
      logon(day.start + rng.int(60, 120) * MINUTE, { ok: true, type: 3, host: s, domain: NETBIOS, user: 'svc_backup', ip: backup.ip, from: backup.name });
    }
    // Contractors RDP in from home on weekdays; now and then they mistype.
    if (day.weekday) {
      for (const c of org.contractors) {
        if (!rng.chance(0.8)) continue;
        const t = day.start + rng.int(14 * 60, 20 * 60) * MINUTE;
        if (rng.chance(0.15)) logon(t - 20 * SECOND, { ok: false, type: 3, host: rds, domain: NETBIOS, user: c.sam, ip: c.ip, from: 'LAPTOP' });
        logon(t, { ok: true, type: 10, host: rds, domain: NETBIOS, user: c.sam, ip: c.ip, from: 'LAPTOP' });
        rdpSession(t - 2 * SECOND, c.ip, 'allow');
      }
    }
  }

  // Stale credentials: many failures for one account from one address, all week, and never a success from there.
  for (let t = timeline.start + rng.int(0, 30) * MINUTE; t < timeline.end; t += 30 * MINUTE) {
    logon(t + rng.int(0, 3000), { ok: false, type: 3, host: fs!, domain: NETBIOS, user: 'svc_backup', ip: legacyHost.ip, from: legacyHost.name });
  }

  // Internet scanning of the exposed RDP: a few guesses per address, never a success.
  for (let i = 0; i < 45; i++) {
    const ip = publicIp(rng, [5, 31, 45, 80, 92, 103, 141, 179, 185, 193, 212]);
    let t = between(rng, timeline.start, timeline.end - HOUR);
    for (let k = rng.int(1, 8); k > 0; k--) {
      logon(t, { ok: false, type: 3, host: rds, domain: '', user: rng.pick(scannerNames), ip, from: rng.chance(0.5) ? null : 'WIN-' + rng.hex(8).toUpperCase() });
      rdpSession(t - SECOND, ip, 'allow');
      t += rng.int(2, 120) * SECOND;
    }
  }

  bruteForce(ctx, logon, rdpSession);
}

type LogonFn = (t: number, l: Logon) => void;

/** The planted brute force: three dozen guesses in a few minutes, then the right password and an RDP session. */
function bruteForce(ctx: GenContext, logon: LogonFn, rdpSession: (t: number, src: string, action: 'allow' | 'deny') => void): void {
  const { rng } = ctx;
  const rds = serverByRole('rds')[0]!;
  if (rds.computer !== planted.bruteForceComputer) throw new Error('sample org: brute-force target is misplaced');
  const attempt = { host: rds, domain: rds.name, user: planted.bruteForceAccount, ip: planted.bruteForceIp, from: 'kali' };
  let t = ctx.timeline.end - plantedOffsets.bruteForce;
  for (let i = 0; i < planted.bruteForceFailures; i++) {
    rdpSession(t - SECOND, planted.bruteForceIp, 'allow');
    logon(t, { ...attempt, ok: false, type: 3 });
    t += rng.int(6, 15) * SECOND;
  }
  rdpSession(t + 30 * SECOND, planted.bruteForceIp, 'allow');
  logon(t + 31 * SECOND, { ...attempt, ok: true, type: 10 });
}
