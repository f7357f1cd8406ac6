import { planted, plantedOffsets } from './planted.js';
import { publicIp, type User } from './org.js';
import { DAY, HOUR, MINUTE, SECOND, between, localTime, type Day, type GenContext } from './context.js';

/**
 * SigninLogs: each working user signs in to Windows and a handful of cloud
 * apps from the office or from home, now and then from a phone, with the
 * usual interrupts (MFA, "keep me signed in") and the odd mistyped password.
 * Internet background noise tries a few accounts from random addresses.
 * Planted: a password spray from one IP that gets into one mailbox.
 */

const result = {
  ok: ['0', null],
  badPassword: ['50126', 'Error validating credentials due to invalid username or password.'],
  mfaRequired: ['50074', 'Strong Authentication is required.'],
  kmsi: ['50140', "This error occurred due to 'Keep me signed in' interrupt when the user was signing in."],
  caBlocked: ['53003', 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'],
  noSuchUser: ['50034', 'The user account does not exist in the directory. To sign into this application, the account must be added to the directory.'],
  expired: ['50055', 'The password is expired.'],
} as const;
type Result = keyof typeof result;

const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
  windows: 'Windows-AzureAD-Authentication-Provider/1.0',
  office: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  teams: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/24102.2223.2870.9480 Chrome/124.0.0.0 Safari/537.36',
  ios: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  spray: 'python-requests/2.31.0',
} as const;

type Client = 'Browser' | 'Mobile Apps and Desktop clients';
const apps: ReadonlyArray<readonly [readonly [app: string, client: Client, ua: 'browser' | 'office' | 'teams'], number]> = [
  [['Office 365 Exchange Online', 'Mobile Apps and Desktop clients', 'office'], 20],
  [['Microsoft Teams', 'Mobile Apps and Desktop clients', 'teams'], 20],
  [['Office 365 SharePoint Online', 'Browser', 'browser'], 12],
  [['Microsoft Office', 'Mobile Apps and Desktop clients', 'office'], 10],
  [['OfficeHome', 'Browser', 'browser'], 8],
  [['OneDrive SyncEngine', 'Mobile Apps and Desktop clients', 'office'], 6],
  [['Microsoft Authentication Broker', 'Mobile Apps and Desktop clients', 'office'], 6],
  [['Salesforce', 'Browser', 'browser'], 4],
  [['My Apps', 'Browser', 'browser'], 2],
];

/** How a person's sign-in goes, by weight: mostly fine, sometimes an interrupt, rarely a typo. */
const outcomes: ReadonlyArray<readonly [Result, number]> = [['ok', 930], ['kmsi', 30], ['mfaRequired', 25], ['badPassword', 8], ['caBlocked', 4], ['expired', 1]];

const scannerCountries = ['CN', 'RU', 'BR', 'VN', 'NL', 'US', 'IN', 'KR', 'ID', 'UA'] as const;
const guessedNames = ['admin', 'test', 'info', 'support', 'administrator', 'helpdesk', 'scanner', 'office'] as const;

export function generateSignins(ctx: GenContext): void {
  const { rng, org, timeline } = ctx;
  const row = (t: number, upn: string, display: string | null, ip: string, loc: string, app: string, client: string, r: Result, ua: string, ca: string): void => {
    const [code, text] = result[r];
    ctx.emit('SigninLogs', [t, upn, display, ip, loc, app, client, code, text, ua, ca, rng.guid()]);
  };
  /** A sign-in attempt, with the retry a person makes after an interrupt or a typo. */
  const attempt = (u: User, t: number, ip: string, app: string, client: Client, ua: string): void => {
    const r = rng.weighted(outcomes);
    const ca = r === 'caBlocked' ? 'failure' : r === 'ok' ? (rng.chance(0.85) ? 'success' : 'notApplied') : 'notApplied';
    row(t, u.upn, u.displayName, ip, u.office.location, app, client, r, ua, ca);
    if (r !== 'ok' && r !== 'caBlocked') row(t + rng.int(8, 75) * SECOND, u.upn, u.displayName, ip, u.office.location, app, client, 'ok', ua, 'success');
  };

  for (const w of ctx.schedule) {
    const u = w.user;
    const browserUa = u.browser === 'chrome' ? UA.chrome : UA.edge;
    const ip = w.remote ? u.homeIp : u.office.egressIp;
    attempt(u, w.start + rng.int(20, 90) * SECOND, ip, 'Windows Sign In', 'Mobile Apps and Desktop clients', UA.windows);
    for (let i = rng.int(6, 13); i > 0; i--) {
      const [app, client, kind] = rng.weighted(apps);
      attempt(u, between(rng, w.start + 2 * MINUTE, w.end), ip, app, client, kind === 'browser' ? browserUa : kind === 'teams' ? UA.teams : UA.office);
    }
    if (u.admin) for (let i = rng.int(1, 3); i > 0; i--) attempt(u, between(rng, w.start, w.end), ip, 'Azure Portal', 'Browser', browserUa);
  }
  for (const day of timeline.days()) for (const u of org.users) mobile(ctx, u, day, attempt);
  internetNoise(ctx, row);
  spray(ctx, row);
}

type RowFn = (t: number, upn: string, display: string | null, ip: string, loc: string, app: string, client: string, r: Result, ua: string, ca: string) => void;

function mobile(ctx: GenContext, u: User, day: Day, attempt: (u: User, t: number, ip: string, app: string, client: Client, ua: string) => void): void {
  const { rng } = ctx;
  if (!rng.chance(day.weekday ? 0.35 : 0.2)) return;
  const ip = publicIp(rng, u.office.mobilePrefixes);
  const ua = rng.chance(0.6) ? UA.ios : UA.android;
  const t0 = localTime(day, u.office, 18 + rng.float() * 4);
  for (let i = rng.int(1, 3); i > 0; i--) {
    attempt(u, t0 + rng.int(0, 40) * MINUTE, ip, rng.pick(['Microsoft Teams', 'Office 365 Exchange Online']), 'Mobile Apps and Desktop clients', ua);
  }
}

/** Opportunistic guessing from the internet: a few tries per address, never many accounts from one. */
function internetNoise(ctx: GenContext, row: RowFn): void {
  const { rng, org, timeline } = ctx;
  for (let i = 0; i < 70; i++) {
    const ip = publicIp(rng, [5, 14, 36, 39, 58, 77, 89, 103, 116, 118, 121, 177, 194, 222]);
    const loc = rng.pick(scannerCountries);
    const t0 = between(rng, timeline.start, timeline.end - HOUR);
    for (let k = rng.int(1, 4); k > 0; k--) {
      const t = t0 + rng.int(0, 50) * MINUTE;
      if (rng.chance(0.4)) {
        row(t, `${rng.pick(guessedNames)}@contoso.com`, null, ip, loc, 'Office 365 Exchange Online', 'Other clients', 'noSuchUser', rng.pick([UA.spray, UA.chrome]), 'notApplied');
      } else {
        const u = rng.pick(org.users);
        row(t, u.upn, u.displayName, ip, loc, 'Office 365 Exchange Online', 'Other clients', 'badPassword', rng.pick([UA.spray, UA.chrome]), 'notApplied');
      }
    }
  }
}

/**
 * The planted spray: one address, one or two tries at each of 30 accounts
 * in about forty minutes over legacy authentication (no MFA, no CA), one hit;
 * the attacker then reads that mailbox over IMAP from the same address.
 */
function spray(ctx: GenContext, row: RowFn): void {
  const { rng, org, timeline } = ctx;
  const compromised = org.users.find((u) => u.upn === planted.sprayCompromisedUpn)!;
  const others = rng.sample(org.users.filter((u) => u !== compromised && u.sam !== planted.victimUser), planted.sprayTargetCount - 1);
  const targets = rng.sample([...others, compromised], planted.sprayTargetCount);
  const app = 'Office 365 Exchange Online';
  let t = timeline.end - plantedOffsets.spray;
  for (const u of targets) {
    row(t, u.upn, u.displayName, planted.sprayIp, 'DE', app, 'Other clients', 'badPassword', UA.spray, 'notApplied');
    if (u === compromised) {
      row(t + rng.int(15, 30) * SECOND, u.upn, u.displayName, planted.sprayIp, 'DE', app, 'Other clients', 'ok', UA.spray, 'notApplied');
    } else if (rng.chance(0.2)) {
      row(t + rng.int(15, 30) * SECOND, u.upn, u.displayName, planted.sprayIp, 'DE', app, 'Other clients', 'badPassword', UA.spray, 'notApplied');
    }
    t += rng.int(60, 100) * SECOND;
  }
  for (const later of [2 * HOUR, 5 * HOUR, DAY + 3 * HOUR]) {
    row(t + later, compromised.upn, compromised.displayName, planted.sprayIp, 'DE', app, 'IMAP4', 'ok', UA.spray, 'notApplied');
  }
}
