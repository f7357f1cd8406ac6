import { planted } from './planted.js';
import { publicIp, serverByRole, type Host } from './org.js';
import { DAY, MINUTE, SECOND, between, type GenContext } from './context.js';
import { compromiseTimes } from './processes.js';
import type { Rng } from './prng.js';

/**
 * CommonSecurityLog: the web proxy (Zscaler) for browsing, Windows' own
 * cleartext CRL/OCSP/update fetches, and the firewall (PAN-OS) for DNS and
 * NTP. Noise on purpose: a long tail of sites only one person ever visits,
 * and a backup server that alone talks heavily to its cloud storage (rare,
 * but in nightly bursts, not on a clock).
 * Planted: the certutil download over HTTP, and a beacon every ~60 s to a
 * domain nothing else contacts.
 */

interface Site {
  host: string;
  category: string;
  paths: readonly string[];
  weight: number;
  blocked?: boolean;
}

const sites: readonly Site[] = [
  { host: 'www.google.com', category: 'Web Search', paths: ['/search?q=quarterly+report+template', '/search?q=weather+seattle', '/search?q=excel+vlookup', '/'], weight: 14 },
  { host: 'login.microsoftonline.com', category: 'Professional Services', paths: ['/common/oauth2/v2.0/authorize', '/common/login'], weight: 10 },
  { host: 'outlook.office365.com', category: 'Web-based Email', paths: ['/mail/', '/owa/'], weight: 10 },
  { host: 'teams.microsoft.com', category: 'Professional Services', paths: ['/', '/api/chatsvc/amer/v1/users/ME/conversations'], weight: 10 },
  { host: 'contoso.sharepoint.com', category: 'Professional Services', paths: ['/sites/finance/Shared%20Documents/Forms/AllItems.aspx', '/sites/hr/SitePages/Home.aspx'], weight: 8 },
  { host: 'www.bing.com', category: 'Web Search', paths: ['/search?q=contoso+benefits', '/'], weight: 4 },
  { host: 'www.linkedin.com', category: 'Social Networking', paths: ['/feed/', '/in/'], weight: 4 },
  { host: 'www.youtube.com', category: 'Streaming Media', paths: ['/watch?v=dQw4w9WgXcQ', '/'], weight: 3 },
  { host: 'github.com', category: 'Professional Services', paths: ['/contoso/portal/pulls', '/'], weight: 3 },
  { host: 'stackoverflow.com', category: 'Professional Services', paths: ['/questions/tagged/powershell', '/questions'], weight: 3 },
  { host: 'en.wikipedia.org', category: 'Reference', paths: ['/wiki/Main_Page', '/wiki/Special:Random'], weight: 3 },
  { host: 'www.amazon.com', category: 'Online Shopping', paths: ['/gp/cart/view.html', '/'], weight: 2 },
  { host: 'www.bbc.co.uk', category: 'News and Media', paths: ['/news', '/sport'], weight: 2 },
  { host: 'www.nytimes.com', category: 'News and Media', paths: ['/section/technology', '/'], weight: 2 },
  { host: 'zoom.us', category: 'Professional Services', paths: ['/j/', '/'], weight: 2 },
  { host: 'contoso.my.salesforce.com', category: 'Business and Economy', paths: ['/lightning/page/home', '/'], weight: 3 },
  { host: 'fonts.googleapis.com', category: 'Internet Services', paths: ['/css2?family=Roboto'], weight: 4 },
  { host: 'cdn.jsdelivr.net', category: 'Internet Services', paths: ['/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css'], weight: 2 },
  { host: 'www.dropbox.com', category: 'Online Storage', paths: ['/home', '/s/'], weight: 1 },
  { host: 'www.reddit.com', category: 'Social Networking', paths: ['/r/sysadmin/', '/'], weight: 1 },
  { host: 'www.bet365.com', category: 'Gambling', paths: ['/'], weight: 0.2, blocked: true },
];

/** Installers fetched over HTTPS now and then: executables in URLs, but not in the clear. */
const installers = [
  'https://dl.google.com/chrome/install/ChromeStandaloneSetup64.exe',
  'https://zoom.us/client/latest/ZoomInstallerFull.exe',
  'https://aka.ms/vs/17/release/vc_redist.x64.exe',
];

/** What every Windows machine fetches in the clear: certificate trust lists, revocation, OCSP. */
const windowsHttp = [
  'http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/authrootstl.cab',
  'http://crl.microsoft.com/pki/crl/products/MicCodSigPCA_2010-07-06.crl',
  'http://ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBTfqhLjKLEJQZPin0KCzkdAQpVYowQUsT7DaQP4v0cB1JgmGggC72NkK8MCEAx5qUSwjBGVIJJhX%2BJrHYM%3D',
];

const tailA = ['blue', 'maple', 'river', 'copper', 'silver', 'oak', 'harbor', 'summit', 'lantern', 'meadow', 'granite', 'willow'];
const tailB = ['bakery', 'cycling', 'garden', 'studio', 'recipes', 'hiking', 'guitars', 'pottery', 'photos', 'chess', 'yoga', 'books'];
const tailSuffix = ['com', 'net', 'org', 'co.uk', 'de', 'io'];

export function generateNetwork(ctx: GenContext): void {
  const { rng, org, timeline } = ctx;
  // Each site keeps one address for the week.
  const ipCache = new Map<string, string>();
  const dst = (host: string): string => {
    let ip = ipCache.get(host);
    if (!ip) ipCache.set(host, (ip = publicIp(rng, [13, 20, 23, 34, 35, 40, 52, 104, 142, 151, 157])));
    return ip;
  };
  const web = (t: number, src: string, url: string, category: string, action: 'Allowed' | 'Blocked' = 'Allowed'): void => {
    const u = new URL(url);
    const https = u.protocol === 'https:';
    ctx.emit('CommonSecurityLog', [
      t, 'Zscaler', 'NSSWeblog', category, src, rng.int(49152, 65535), dst(u.hostname), https ? 443 : 80, u.hostname, url,
      https ? 'HTTPS' : 'HTTP', action, rng.int(300, 4_000), action === 'Blocked' ? 0 : rng.int(800, 600_000),
    ]);
  };

  for (const w of ctx.schedule) {
    const src = w.user.workstation.ip;
    for (let i = rng.int(10, 28); i > 0; i--) {
      const s = pickSite(rng);
      web(between(rng, w.start, w.end), src, `https://${s.host}${rng.pick(s.paths)}`, s.category, s.blocked ? 'Blocked' : 'Allowed');
    }
    // The long tail: a site only this person visits, a few requests in a row.
    if (rng.chance(0.3)) {
      const host = `www.${rng.pick(tailA)}${rng.pick(tailB)}.${rng.pick(tailSuffix)}`;
      let t = between(rng, w.start, w.end);
      for (let k = rng.int(1, 4); k > 0; k--, t += rng.int(1, 20) * SECOND) web(t, src, `https://${host}/`, 'Miscellaneous or Unknown');
    }
    if (rng.chance(0.03)) web(between(rng, w.start, w.end), src, rng.pick(installers), 'Software Downloads');
  }

  const machines: Host[] = [...org.users.map((u) => u.workstation), ...org.servers];
  for (const day of timeline.days()) {
    for (const h of machines) {
      web(between(rng, day.start, day.start + DAY), h.ip, rng.pick(windowsHttp), 'Internet Services');
    }
    backupBursts(ctx, day.start, web);
    firewall(ctx, day.start);
  }
  beaconAndDownload(ctx);
}

function pickSite(rng: Rng): Site {
  return rng.weighted(sites.map((s) => [s, s.weight] as const));
}

type WebFn = (t: number, src: string, url: string, category: string, action?: 'Allowed' | 'Blocked') => void;

/** One host, one storage endpoint, hundreds of requests a night: rare, heavy, but bursty rather than periodic. */
function backupBursts(ctx: GenContext, dayStart: number, web: WebFn): void {
  const { rng } = ctx;
  const backup = serverByRole('backup')[0]!;
  let t = dayStart + rng.int(90, 150) * MINUTE;
  for (let i = rng.int(120, 200); i > 0; i--) {
    web(t, backup.ip, `https://s3.eu-central-1.wasabisys.com/contoso-backup/${rng.hex(12)}.vbk`, 'Online Storage');
    t += rng.int(2, 45) * SECOND;
  }
}

/** Domain controllers forward DNS and sync time through the firewall; no host names in these logs. */
function firewall(ctx: GenContext, dayStart: number): void {
  const { rng } = ctx;
  for (const dc of serverByRole('dc')) {
    for (let i = 0; i < 150; i++) {
      const t = dayStart + rng.int(0, DAY - 1);
      ctx.emit('CommonSecurityLog', [
        t, 'Palo Alto Networks', 'PAN-OS', 'TRAFFIC', dc.ip, rng.int(49152, 65535), rng.pick(['8.8.8.8', '1.1.1.1']), 53, null, null, 'udp',
        'allow', rng.int(60, 120), rng.int(80, 500),
      ]);
    }
    for (let t = dayStart + rng.int(0, 17) * MINUTE; t < dayStart + DAY; t += 17 * MINUTE) {
      ctx.emit('CommonSecurityLog', [t, 'Palo Alto Networks', 'PAN-OS', 'TRAFFIC', dc.ip, 123, '168.61.215.74', 123, null, null, 'udp', 'allow', 90, 90]);
    }
  }
}

/**
 * The planted download (cleartext HTTP, an .exe) and the beacon: every
 * 60 s +/- 15 % from the victim to one domain, from the compromise to the end.
 */
function beaconAndDownload(ctx: GenContext): void {
  const { rng, timeline } = ctx;
  const src = planted.victimIp;
  const times = compromiseTimes(timeline.end);
  ctx.emit('CommonSecurityLog', [
    times.download, 'Zscaler', 'NSSWeblog', 'Miscellaneous or Unknown', src, rng.int(49152, 65535), planted.downloadIp, 80,
    new URL(planted.downloadUrl).hostname, planted.downloadUrl, 'HTTP', 'Allowed', 412, 73_802,
  ]);
  const jitter = planted.beaconIntervalSeconds * 0.15 * SECOND;
  let path = '/api/v2/init';
  for (let t = times.firstBeacon; t < timeline.end; t += planted.beaconIntervalSeconds * SECOND + Math.round((rng.float() * 2 - 1) * jitter)) {
    ctx.emit('CommonSecurityLog', [
      t, 'Zscaler', 'NSSWeblog', 'Miscellaneous or Unknown', src, rng.int(49152, 65535), planted.beaconIp, 443, planted.beaconDomain,
      `https://${planted.beaconDomain}${path}`, 'HTTPS', 'Allowed', rng.int(380, 720), rng.int(180, 460),
    ]);
    path = '/api/v2/status';
  }
}
