import { createHash } from 'node:crypto';
import { planted, plantedOffsets, encodePowerShell } from './planted.js';
import { NETBIOS, type Host, type Server, type User } from './org.js';
import { HOUR, MINUTE, SECOND, between, type GenContext, type WorkDay } from './context.js';

/**
 * Process creation, written twice as on a real estate with both sensors:
 * Defender's DeviceProcessEvents and Windows' SecurityEvent 4688. Ordinary
 * process trees (logon, Office, browsers, Defender, SCCM) plus the admin
 * habits that make naive hunts noisy: logon-script PowerShell, SCCM's
 * encoded commands, certutil used to hash files or clear its cache.
 * Planted: Word -> cmd -> certutil download -> x.exe -> encoded PowerShell.
 */

const SYS = 'C:\\Windows\\System32\\';
const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\';
export const bin = {
  winlogon: `${SYS}winlogon.exe`,
  userinit: `${SYS}userinit.exe`,
  explorer: 'C:\\Windows\\explorer.exe',
  services: `${SYS}services.exe`,
  svchost: `${SYS}svchost.exe`,
  taskhostw: `${SYS}taskhostw.exe`,
  gpscript: `${SYS}gpscript.exe`,
  powershell: `${SYS}WindowsPowerShell\\v1.0\\powershell.exe`,
  cmd: `${SYS}cmd.exe`,
  certutil: `${SYS}certutil.exe`,
  ipconfig: `${SYS}ipconfig.exe`,
  nslookup: `${SYS}nslookup.exe`,
  ping: `${SYS}PING.EXE`,
  mstsc: `${SYS}mstsc.exe`,
  notepad: `${SYS}notepad.exe`,
  wmiprvse: `${SYS}wbem\\WmiPrvSE.exe`,
  chrome: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  msedge: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  outlook: `${OFFICE}OUTLOOK.EXE`,
  winword: `${OFFICE}WINWORD.EXE`,
  excel: `${OFFICE}EXCEL.EXE`,
  powerpnt: `${OFFICE}POWERPNT.EXE`,
  teams: 'C:\\Program Files\\WindowsApps\\MSTeams_24102.2223.2870.9480_x64__8wekyb3d8bbwe\\ms-teams.exe',
  acrobat: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
  mpcmdrun: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0\\MpCmdRun.exe',
  ccmexec: 'C:\\Windows\\CCM\\CcmExec.exe',
  w3wp: `${SYS}inetsrv\\w3wp.exe`,
  sqlagent: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE',
  veeam: 'C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe',
  x: planted.knownBadFolderPath,
} as const;

const fileName = (path: string): string => path.slice(path.lastIndexOf('\\') + 1);

const hashCache = new Map<string, readonly [string, string, string]>();
/** One binary, one hash everywhere (as on a real estate); derived from the file name so it does not depend on the seed. */
function hashes(path: string): readonly [sha256: string, sha1: string, md5: string] {
  if (path === bin.x) return [planted.knownBadSha256, planted.knownBadSha1, planted.knownBadMd5];
  const key = fileName(path).toLowerCase();
  let h = hashCache.get(key);
  if (!h) {
    const content = `contoso-sample-binary:${key}`;
    h = (['sha256', 'sha1', 'md5'] as const).map((a) => createHash(a).update(content).digest('hex')) as unknown as readonly [string, string, string];
    hashCache.set(key, h);
  }
  return h;
}

export interface Proc {
  image: string;
  cmd: string;
}
const p = (image: string, cmd: string = `"${image}"`): Proc => ({ image, cmd });

const ccmScripts = [
  'Get-CimInstance -ClassName Win32_QuickFixEngineering | Select-Object HotFixID, InstalledOn',
  "Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | Select-Object DisplayName, DisplayVersion",
  'Get-BitLockerVolume -MountPoint C: | Select-Object ProtectionStatus',
];
const docs = ['Q3 forecast', 'Board minutes', 'Onboarding checklist', 'Vendor contract', 'Budget 2025', 'Team offsite', 'Sales pipeline'];

export function generateProcesses(ctx: GenContext): void {
  const { rng, org, timeline } = ctx;
  const spawn = (t: number, host: Host, user: string | null, parent: Proc, child: Proc): void => {
    const [sha256, sha1, md5] = hashes(child.image);
    const pid = rng.int(250, 9000) * 4;
    const account = user ? `${NETBIOS}\\${user}` : `${NETBIOS}\\${host.name}$`;
    ctx.emit('DeviceProcessEvents', [
      t, host.deviceName, user ?? 'system', user ? NETBIOS.toLowerCase() : 'nt authority', fileName(child.image), child.image, child.cmd,
      sha256, sha1, md5, fileName(parent.image), parent.cmd, pid,
    ]);
    ctx.emit('SecurityEvent', [
      t, host.computer, 4688, '4688 - A new process has been created.', account, user ? 'User' : 'Machine', null, null, null, null,
      child.image, child.cmd, parent.image, user ?? `${host.name}$`,
    ]);
  };

  for (const w of ctx.schedule) workstationDay(ctx, w, spawn);

  // Machine-level activity on every workstation and server, every day, whoever is logged on.
  const services = p(bin.services, `${SYS}services.exe`);
  const svchost = p(bin.svchost, `${SYS}svchost.exe -k netsvcs -p -s Schedule`);
  const ccm = p(bin.ccmexec, 'C:\\Windows\\CCM\\CcmExec.exe');
  const hosts: Array<Host | Server> = [...org.users.map((u) => u.workstation), ...org.servers];
  for (const day of timeline.days()) {
    for (const h of hosts) {
      const at = (): number => between(rng, day.start, day.start + 24 * HOUR);
      spawn(at(), h, null, svchost, p(bin.taskhostw, 'taskhostw.exe Install $(Arg0)'));
      if (rng.chance(0.5)) spawn(at(), h, null, svchost, p(bin.mpcmdrun, `"${bin.mpcmdrun}" -SignatureUpdate -ScheduleJob -RestrictPrivileges`));
      if (rng.chance(0.3)) spawn(at(), h, null, services, p(bin.svchost, `${SYS}svchost.exe -k wsappx -p`));
      if (rng.chance(0.25)) {
        const script = rng.pick(ccmScripts);
        spawn(at(), h, null, ccm, p(bin.powershell, `powershell.exe -NoLogo -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${encodePowerShell(script)}`));
      }
      if ('role' in h) serverDay(ctx, h, day.start, spawn);
    }
  }
  compromise(ctx, spawn);
}

type Spawn = (t: number, host: Host, user: string | null, parent: Proc, child: Proc) => void;

function workstationDay(ctx: GenContext, w: WorkDay, spawn: Spawn): void {
  const { rng } = ctx;
  const u: User = w.user;
  const ws = u.workstation;
  const t = (): number => between(rng, w.start + 5 * MINUTE, w.end);
  const explorer = p(bin.explorer, 'C:\\Windows\\Explorer.EXE');
  const browser = u.browser === 'chrome' ? p(bin.chrome) : p(bin.msedge);
  spawn(w.start, ws, u.sam, p(bin.winlogon, 'winlogon.exe'), p(bin.userinit, 'C:\\Windows\\system32\\userinit.exe'));
  spawn(w.start + 2 * SECOND, ws, u.sam, p(bin.userinit, 'C:\\Windows\\system32\\userinit.exe'), explorer);
  // The domain logon script: PowerShell with -ExecutionPolicy Bypass on every machine, every morning.
  spawn(w.start + 9 * SECOND, ws, u.sam, p(bin.gpscript, 'gpscript.exe /Logon'),
    p(bin.powershell, 'powershell.exe -ExecutionPolicy Bypass -NoProfile -File \\\\contoso.com\\NETLOGON\\map-drives.ps1'));
  spawn(w.start + rng.int(20, 60) * SECOND, ws, u.sam, explorer, p(bin.outlook));
  spawn(w.start + rng.int(20, 60) * SECOND, ws, u.sam, explorer, p(bin.teams, 'ms-teams.exe --system-initiated'));
  spawn(w.start + rng.int(60, 300) * SECOND, ws, u.sam, explorer, browser);
  for (let i = rng.int(1, 2); i > 0; i--) {
    spawn(t(), ws, u.sam, browser, p(browser.image, `"${browser.image}" --type=renderer --lang=en-US --renderer-client-id=${rng.int(5, 90)}`));
  }
  for (let i = rng.int(1, 5); i > 0; i--) {
    const doc = `C:\\Users\\${u.sam}\\Documents\\${rng.pick(docs)}`;
    const app = rng.weighted<Proc>([
      [p(bin.winword, `"${bin.winword}" /n "${doc}.docx"`), 5],
      [p(bin.excel, `"${bin.excel}" "${doc}.xlsx"`), 5],
      [p(bin.powerpnt, `"${bin.powerpnt}" "${doc}.pptx"`), 2],
      [p(bin.acrobat, `"${bin.acrobat}" "${doc}.pdf"`), 3],
      [p(bin.notepad, `"${bin.notepad}" C:\\Users\\${u.sam}\\Desktop\\notes.txt`), 2],
    ]);
    spawn(t(), ws, u.sam, explorer, app);
  }
  if (!u.admin) return;
  const cmd = p(bin.cmd, '"C:\\Windows\\system32\\cmd.exe"');
  spawn(t(), ws, u.sam, explorer, cmd);
  for (const c of rng.sample([p(bin.ipconfig, 'ipconfig /all'), p(bin.nslookup, 'nslookup con-dc01.contoso.com'), p(bin.ping, 'ping -n 4 10.0.1.20')], 2)) {
    spawn(t(), ws, u.sam, cmd, c);
  }
  spawn(t(), ws, u.sam, explorer, p(bin.mstsc, `"${bin.mstsc}" /v:${rng.pick(['CON-SQL01', 'CON-APP01', 'CON-WEB01'])}`));
  spawn(t(), ws, u.sam, explorer, p(bin.powershell, 'powershell.exe -NoProfile -Command "Get-ADUser -Filter \'Enabled -eq $false\' | Measure-Object"'));
  // Legitimate certutil: checking a download's hash, clearing the URL cache. Neither downloads anything.
  if (rng.chance(0.4)) {
    const file = rng.pick(['ubuntu-24.04-live-server-amd64.iso', 'SQLServer2022-x64-ENU.iso', 'putty-64bit-0.81-installer.msi']);
    spawn(t(), ws, u.sam, cmd, p(bin.certutil, `certutil.exe -hashfile "C:\\Users\\${u.sam}\\Downloads\\${file}" SHA256`));
  }
  if (rng.chance(0.1)) spawn(t(), ws, u.sam, cmd, p(bin.certutil, 'certutil.exe -urlcache * delete'));
}

function serverDay(ctx: GenContext, s: Server, dayStart: number, spawn: Spawn): void {
  const { rng } = ctx;
  const night = (): number => dayStart + rng.int(60, 180) * MINUTE;
  const svchost = p(bin.svchost, `${SYS}svchost.exe -k netsvcs -p -s Schedule`);
  if (s.role === 'web' || s.role === 'app') {
    for (let i = rng.int(2, 4); i > 0; i--) {
      spawn(between(rng, dayStart, dayStart + 24 * HOUR), s, null, p(bin.svchost, `${SYS}svchost.exe -k iissvcs`), p(bin.w3wp, `${bin.w3wp} -ap "ContosoPortal" -v "v4.0" -l "webengine4.dll"`));
    }
  } else if (s.role === 'sql') {
    spawn(night(), s, 'svc_sql', p(bin.sqlagent, `"${bin.sqlagent}" -i MSSQLSERVER`), p(bin.cmd, 'cmd.exe /c "sqlcmd -Q "EXEC dbo.NightlyMaintenance""'));
  } else if (s.role === 'ca') {
    // The CA republishes its CRL nightly: certutil with no URL in it.
    spawn(night(), s, null, svchost, p(bin.certutil, 'certutil.exe -crl'));
  } else if (s.role === 'backup') {
    spawn(night(), s, 'svc_backup', p(bin.veeam), p(bin.powershell, 'powershell.exe -NoProfile -File "D:\\Scripts\\Rotate-BackupLogs.ps1"'));
  } else if (s.role === 'dc') {
    for (let i = rng.int(3, 6); i > 0; i--) {
      spawn(between(rng, dayStart, dayStart + 24 * HOUR), s, null, p(bin.svchost, `${SYS}svchost.exe -k DcomLaunch -p`), p(bin.wmiprvse, `${bin.wmiprvse} -secured -Embedding`));
    }
  }
}

/** The planted chain on the victim's workstation. */
function compromise(ctx: GenContext, spawn: Spawn): void {
  const u = ctx.org.users.find((x) => x.sam === planted.victimUser)!;
  const ws = u.workstation;
  const t0 = ctx.timeline.end - plantedOffsets.compromise;
  const explorer = p(bin.explorer, 'C:\\Windows\\Explorer.EXE');
  const word = p(bin.winword, `"${bin.winword}" /n "C:\\Users\\${u.sam}\\Downloads\\Invoice_88231.docm"`);
  const cmd = p(bin.cmd, `cmd.exe /c "${planted.certutilCommandLine} && ${planted.knownBadFolderPath}"`);
  const x = p(bin.x, planted.knownBadFolderPath);
  spawn(t0, ws, u.sam, explorer, word);
  spawn(t0 + 40 * SECOND, ws, u.sam, word, cmd);
  spawn(t0 + 41 * SECOND, ws, u.sam, cmd, p(bin.certutil, planted.certutilCommandLine));
  spawn(t0 + 47 * SECOND, ws, u.sam, cmd, x);
  spawn(t0 + 58 * SECOND, ws, u.sam, x, p(bin.powershell, planted.encodedPowerShellCommandLine));
}

/** When the planted download and the first beacon happen (the network generator lines up with the processes). */
export const compromiseTimes = (end: number): { download: number; firstBeacon: number } => {
  const t0 = end - plantedOffsets.compromise;
  return { download: t0 + 42 * SECOND, firstBeacon: t0 + 60 * SECOND };
};
