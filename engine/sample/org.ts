import type { Rng } from './prng.js';
import { planted } from './planted.js';

/**
 * Contoso, the fictional organisation the sample dataset is about: a few
 * hundred users with one workstation each, two offices, a handful of
 * servers, some contractors who RDP in from home.
 */

export const DOMAIN = 'contoso.com';
export const NETBIOS = 'CONTOSO';

export interface Office {
  name: string;
  /** The public address sign-ins from the office come from (NAT). */
  egressIp: string;
  /** Country code, as SigninLogs.Location writes it. */
  location: string;
  /** Local time minus UTC, so the working day falls at plausible UTC hours. */
  utcOffsetHours: number;
  homePrefixes: readonly number[];
  mobilePrefixes: readonly string[];
}

export interface Host {
  /** NetBIOS name, e.g. CON-WS-0042. */
  name: string;
  /** SecurityEvent.Computer: CON-WS-0042.contoso.com */
  computer: string;
  /** DeviceProcessEvents.DeviceName: con-ws-0042.contoso.com */
  deviceName: string;
  ip: string;
}

export interface User {
  sam: string;
  upn: string;
  displayName: string;
  workstation: Host;
  office: Office;
  homeIp: string;
  admin: boolean;
  browser: 'chrome' | 'edge';
}

export type ServerRole = 'dc' | 'file' | 'sql' | 'backup' | 'web' | 'app' | 'ca' | 'sccm' | 'rds';

export interface Server extends Host {
  role: ServerRole;
}

export interface Contractor {
  sam: string;
  ip: string;
}

export interface Org {
  users: User[];
  servers: Server[];
  contractors: Contractor[];
  offices: readonly Office[];
}

export const offices: readonly Office[] = [
  { name: 'Seattle', egressIp: '64.25.112.10', location: 'US', utcOffsetHours: -8, homePrefixes: [73, 24, 98, 71, 68, 174, 108, 76], mobilePrefixes: ['107.77', '174.205', '166.137'] },
  { name: 'London', egressIp: '62.31.140.45', location: 'GB', utcOffsetHours: 0, homePrefixes: [86, 81, 90, 109, 82], mobilePrefixes: ['92.40', '31.94'] },
];

const FIRST = [
  'james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara',
  'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'carlos', 'karen', 'daniel', 'nancy', 'matthew', 'lisa',
  'anthony', 'betty', 'mark', 'sandra', 'steven', 'ashley', 'paul', 'emily', 'andrew', 'donna', 'joshua', 'michelle',
  'kenneth', 'carol', 'kevin', 'amanda', 'brian', 'melissa', 'george', 'deborah', 'priya', 'stephanie', 'oliver', 'rebecca',
  'wei', 'laura', 'ahmed', 'sharon', 'hiroshi', 'cynthia', 'ivan', 'amelia', 'noah', 'chloe', 'lucas', 'sofia',
];
const LAST = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez',
  'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson',
  'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright',
  'scott', 'torres', 'nguyen', 'hill', 'flores', 'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell',
  'mitchell', 'carter', 'roberts', 'patel', 'chen', 'kim', 'singh', 'novak', 'fischer', 'rossi', 'silva', 'murphy', 'evans',
];

export const USER_COUNT = 320;
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function host(name: string, ip: string): Host {
  return { name, computer: `${name}.${DOMAIN}`, deviceName: `${name.toLowerCase()}.${DOMAIN}`, ip };
}

/** Workstation n (1-based) sits in 10.20.0.0/16, two hundred to a subnet. */
export function workstation(n: number): Host {
  const i = n - 1;
  return host(`CON-WS-${String(n).padStart(4, '0')}`, `10.20.${Math.floor(i / 200)}.${20 + (i % 200)}`);
}

const attackerIps: ReadonlySet<string> = new Set([planted.sprayIp, planted.bruteForceIp, planted.downloadIp, planted.beaconIp]);

/** A public-looking address under one of the given first octets; never one of the planted attacker addresses. */
export function publicIp(rng: Rng, firstOctets: readonly (number | string)[]): string {
  for (;;) {
    const first = String(rng.pick(firstOctets));
    const parts = first.split('.');
    while (parts.length < 3) parts.push(String(rng.int(0, 255)));
    parts.push(String(rng.int(1, 254)));
    const ip = parts.join('.');
    if (!attackerIps.has(ip)) return ip;
  }
}

export const servers: readonly Server[] = [
  { ...host('CON-DC01', '10.0.1.10'), role: 'dc' },
  { ...host('CON-DC02', '10.0.1.11'), role: 'dc' },
  { ...host('CON-FS01', '10.0.1.20'), role: 'file' },
  { ...host('CON-SQL01', '10.0.1.25'), role: 'sql' },
  { ...host('CON-BACKUP01', '10.0.1.30'), role: 'backup' },
  { ...host('CON-WEB01', '10.0.1.40'), role: 'web' },
  { ...host('CON-APP01', '10.0.1.41'), role: 'app' },
  { ...host('CON-CA01', '10.0.1.50'), role: 'ca' },
  { ...host('CON-SCCM01', '10.0.1.60'), role: 'sccm' },
  { ...host('CON-RDS01', '10.0.2.10'), role: 'rds' },
];

export const serverByRole = (role: ServerRole): Server[] => servers.filter((s) => s.role === role);

/** A decommissioned host whose scheduled task still uses svc_backup's old password. */
export const legacyHost = host('LEGACY-APP01', '10.0.1.87');

/** Users the planted attack needs, at fixed workstation numbers. */
const plantedUsers: ReadonlyArray<{ first: string; last: string; n: number; office: number }> = [
  { first: 'dana', last: 'whitfield', n: Number(planted.victimWorkstation.slice(-4)), office: 0 },
  { first: 'lena', last: 'okafor', n: 118, office: 1 },
];

export function buildOrg(rng: Rng): Org {
  const plantedSams = new Set(plantedUsers.map((u) => `${u.first}.${u.last}`));
  const taken = new Set(plantedSams);
  const users: User[] = [];
  const make = (first: string, last: string, n: number, office: Office): User => {
    const sam = `${first}.${last}`;
    return {
      sam,
      upn: `${sam}@${DOMAIN}`,
      displayName: `${capital(first)} ${capital(last)}`,
      workstation: workstation(n),
      office,
      homeIp: publicIp(rng, office.homePrefixes),
      admin: false,
      browser: rng.chance(0.6) ? 'chrome' : 'edge',
    };
  };
  for (let n = 1; n <= USER_COUNT; n++) {
    const fixed = plantedUsers.find((u) => u.n === n);
    if (fixed) {
      users.push(make(fixed.first, fixed.last, n, offices[fixed.office]!));
      continue;
    }
    let first: string;
    let last: string;
    do {
      first = rng.pick(FIRST);
      last = rng.pick(LAST);
    } while (taken.has(`${first}.${last}`));
    taken.add(`${first}.${last}`);
    users.push(make(first, last, n, rng.chance(0.7) ? offices[0]! : offices[1]!));
  }
  const victim = users.find((u) => u.sam === planted.victimUser);
  if (!victim || victim.workstation.ip !== planted.victimIp) throw new Error('sample org: planted victim workstation is misplaced');
  for (const u of rng.sample(users.filter((x) => !plantedSams.has(x.sam)), 8)) u.admin = true;
  const contractors: Contractor[] = ['ext.jmorales', 'ext.pkumar', 'ext.aschultz'].map((sam) => ({ sam, ip: publicIp(rng, [73, 86, 98]) }));
  return { users, servers: servers.slice(), contractors, offices };
}
