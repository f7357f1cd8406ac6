import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { parse as parseDomain } from 'tldts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalDb } from '../../connectors/sources/local/local-db.js';
import { sqlParameterNames } from '../../connectors/sources/local/sql-parameters.js';
import { isPublicIPv4, parseIPv4 } from '../../engine/enrichment/ip-address.js';
import { huntToYaml, parseHuntYaml } from '../../engine/hunts/yaml.js';
import type { ParsedHuntInput } from '../../engine/hunts/schema.js';
import { bindParameters, type ParameterValue } from '../../engine/runs/parameters.js';
import {
  DEFAULT_SAMPLE_SEED, generateSampleDataset, loadSampleHunts, planted, sampleHuntsDir, sampleTables, type SampleDatasetResult,
} from '../../engine/sample/index.js';

type Row = Record<string, unknown>;

const anchor = new Date('2025-03-14T12:00:00.000Z');
const weekBefore = new Date(anchor.getTime() - 7 * 86_400_000).toISOString();
let tmp: string;
let main: { db: Database.Database; result: SampleDatasetResult };
let twin: Database.Database;
let otherSeed: Database.Database;
let hunts: ParsedHuntInput[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-sample-'));
  // The main dataset goes to a file, the way first start writes it; the comparison ones stay in memory.
  const db = openLocalDb(path.join(tmp, 'local', 'local.db'));
  main = { db, result: generateSampleDataset(db, { anchor }) };
  twin = openLocalDb(':memory:');
  generateSampleDataset(twin, { seed: DEFAULT_SAMPLE_SEED, anchor });
  otherSeed = openLocalDb(':memory:');
  generateSampleDataset(otherSeed, { seed: 7, anchor });
  hunts = loadSampleHunts();
});

afterAll(() => {
  for (const db of [main?.db, twin, otherSeed]) db?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A digest of every sample table's rows in stored order, plus the metadata Quarry keeps about them. */
function datasetHash(db: Database.Database): string {
  const h = createHash('sha256');
  for (const t of sampleTables) {
    h.update(`\u0000table ${t.name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).raw(true).iterate()) h.update(`${JSON.stringify(row)}\n`);
  }
  h.update(JSON.stringify(db.prepare('SELECT * FROM _quarry_columns ORDER BY table_name, column_name').raw(true).all()));
  h.update(JSON.stringify(db.prepare('SELECT * FROM _quarry_tables ORDER BY name').raw(true).all()));
  return h.digest('hex');
}

/** Runs a hunt's SQL the way the local source binds it: each declared parameter's value, typed, as @name. */
function runHunt(db: Database.Database, hunt: ParsedHuntInput, given: Record<string, string | number | boolean> = {}): Row[] {
  const used = sqlParameterNames(hunt.query);
  const args: Record<string, ParameterValue | number> = {};
  for (const p of bindParameters(hunt.parameters, given)) {
    if (used.has(p.name)) args[p.name] = p.type === 'bool' && p.value !== null ? (p.value ? 1 : 0) : p.value;
  }
  return db.prepare(hunt.query).all(args) as Row[];
}

const huntByFile = (file: string): ParsedHuntInput => {
  const h = hunts.find((x) => path.basename(x.sourcePath ?? '') === `${file}.yaml`);
  if (!h) throw new Error(`no sample hunt ${file}.yaml`);
  return h;
};

describe('sample dataset', () => {
  it('is deterministic: the same seed and anchor give identical tables, another seed different ones', () => {
    const a = datasetHash(main.db);
    expect(datasetHash(twin)).toBe(a);
    expect(datasetHash(otherSeed)).not.toBe(a);
  });

  it('has at least 100,000 rows, counted in _quarry_tables as sample data', () => {
    const total = main.result.tables.reduce((n, t) => n + t.rows, 0);
    expect(total).toBeGreaterThanOrEqual(100_000);
    expect(main.result.tables.map((t) => t.name)).toEqual(['SigninLogs', 'SecurityEvent', 'CommonSecurityLog', 'DeviceProcessEvents']);
    for (const t of main.result.tables) {
      const { n } = main.db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number };
      expect(n).toBe(t.rows);
      expect(t.rows).toBeGreaterThan(5_000);
      expect(main.db.prepare('SELECT source, imported_at, row_count FROM _quarry_tables WHERE name = ?').get(t.name)).toEqual({
        source: 'sample', imported_at: anchor.toISOString(), row_count: t.rows,
      });
    }
  });

  it('registers every column with its Quarry type, and writes datetimes as ISO 8601 UTC within the week before the anchor', () => {
    for (const t of sampleTables) {
      const actual = (main.db.prepare('SELECT name FROM pragma_table_info(?)').all(t.name) as Array<{ name: string }>).map((c) => c.name);
      const registered = main.db.prepare('SELECT column_name, type FROM _quarry_columns WHERE table_name = ?').all(t.name) as Array<{ column_name: string; type: string }>;
      expect(new Map(registered.map((r) => [r.column_name, r.type]))).toEqual(new Map(actual.map((c) => [c, t.columns.find(([n]) => n === c)![1]])));
      const timeColumn = t.columns.find(([, ty]) => ty === 'datetime')![0];
      const stats = main.db
        .prepare(`SELECT min("${timeColumn}") AS lo, max("${timeColumn}") AS hi,
                  sum("${timeColumn}" NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z') AS bad
                  FROM "${t.name}"`)
        .get() as { lo: string; hi: string; bad: number };
      expect(stats.bad).toBe(0);
      expect(stats.lo >= weekBefore && stats.hi < anchor.toISOString()).toBe(true);
    }
    expect(main.db.prepare("SELECT type FROM _quarry_columns WHERE table_name = 'SigninLogs' AND column_name = 'TimeGenerated'").get()).toEqual({ type: 'datetime' });
  });

  it('is shaped like Sentinel: ResultType as text, SecurityEvent limited to 4624/4625/4688', () => {
    expect(main.db.prepare('SELECT DISTINCT typeof(ResultType) AS t FROM SigninLogs').all()).toEqual([{ t: 'text' }]);
    const ids = (main.db.prepare('SELECT DISTINCT EventID FROM SecurityEvent ORDER BY 1').all() as Array<{ EventID: number }>).map((r) => r.EventID);
    expect(ids).toEqual([4624, 4625, 4688]);
  });

  it('plants public attacker addresses and a beacon domain under a real public suffix that only the victim contacts', () => {
    for (const ip of [planted.sprayIp, planted.bruteForceIp, planted.downloadIp, planted.beaconIp]) {
      expect(isPublicIPv4(parseIPv4(ip)!), ip).toBe(true);
    }
    const parsed = parseDomain(planted.beaconDomain);
    expect(parsed.isIcann && parsed.domain === planted.beaconDomain).toBe(true);
    expect(main.db.prepare('SELECT DISTINCT SourceIP FROM CommonSecurityLog WHERE DestinationHostName = ?').all(planted.beaconDomain)).toEqual([
      { SourceIP: planted.victimIp },
    ]);
    const beacons = main.db.prepare('SELECT count(*) AS n FROM CommonSecurityLog WHERE DestinationHostName = ?').get(planted.beaconDomain) as { n: number };
    expect(beacons.n).toBeGreaterThan(2 * 1440); // every minute for days
  });

  it('contains the near misses that make "nothing of the noise" mean something', () => {
    const count = (sql: string): number => (main.db.prepare(sql).get() as { n: number }).n;
    // Mistyped passwords from the office's shared address, and internet guessing.
    expect(count("SELECT count(DISTINCT UserPrincipalName) AS n FROM SigninLogs WHERE ResultType = '50126' AND IPAddress = '64.25.112.10'")).toBeGreaterThan(20);
    // A stale service-account password: far more than 20 failures from one address.
    expect(count("SELECT count(*) AS n FROM SecurityEvent WHERE EventID = 4625 AND TargetUserName = 'svc_backup'")).toBeGreaterThan(100);
    // certutil and encoded PowerShell used legitimately.
    expect(count("SELECT count(*) AS n FROM DeviceProcessEvents WHERE FileName = 'certutil.exe'")).toBeGreaterThan(10);
    expect(count("SELECT count(*) AS n FROM DeviceProcessEvents WHERE ProcessCommandLine LIKE '%-EncodedCommand%'")).toBeGreaterThan(50);
    // A rare destination that one host talks to heavily, and plain-HTTP fetches by Windows itself.
    expect(count("SELECT count(*) AS n FROM CommonSecurityLog WHERE DestinationHostName LIKE '%wasabisys.com'")).toBeGreaterThan(500);
    expect(count("SELECT count(*) AS n FROM CommonSecurityLog WHERE RequestURL LIKE 'http://%'")).toBeGreaterThan(1000);
  });
});

/** ATT&CK techniques the sample hunts use, with the tactics ATT&CK files them under (Sentinel spelling). */
const attack: Record<string, { name: string; tactics: string[] }> = {
  T1027: { name: 'Obfuscated Files or Information', tactics: ['DefenseEvasion'] },
  'T1059.001': { name: 'Command and Scripting Interpreter: PowerShell', tactics: ['Execution'] },
  'T1071.001': { name: 'Application Layer Protocol: Web Protocols', tactics: ['CommandAndControl'] },
  T1078: { name: 'Valid Accounts', tactics: ['DefenseEvasion', 'Persistence', 'PrivilegeEscalation', 'InitialAccess'] },
  'T1078.004': { name: 'Valid Accounts: Cloud Accounts', tactics: ['DefenseEvasion', 'Persistence', 'PrivilegeEscalation', 'InitialAccess'] },
  T1105: { name: 'Ingress Tool Transfer', tactics: ['CommandAndControl'] },
  'T1110.001': { name: 'Brute Force: Password Guessing', tactics: ['CredentialAccess'] },
  'T1110.003': { name: 'Brute Force: Password Spraying', tactics: ['CredentialAccess'] },
  T1133: { name: 'External Remote Services', tactics: ['Persistence', 'InitialAccess'] },
  T1140: { name: 'Deobfuscate/Decode Files or Information', tactics: ['DefenseEvasion'] },
  'T1204.002': { name: 'User Execution: Malicious File', tactics: ['Execution'] },
};
const sentinelEntities: Record<string, string[]> = {
  Account: ['Name', 'FullName', 'NTDomain', 'UPNSuffix', 'AadUserId', 'Sid'],
  IP: ['Address'],
  Host: ['FullName', 'HostName', 'DnsDomain', 'NTDomain'],
  DNS: ['DomainName'],
  FileHash: ['Algorithm', 'Value'],
  Process: ['CommandLine', 'ProcessId'],
  URL: ['Url'],
};

describe('sample hunts', () => {
  it('are Quarry hunt YAML files that parse, with fixed ids, ATT&CK tags and SQL for the local connection', () => {
    const files = fs.readdirSync(sampleHuntsDir()).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    const parsed = files.map((f) => parseHuntYaml(fs.readFileSync(path.join(sampleHuntsDir(), f), 'utf8'), f));
    expect(hunts.map((h) => h.id).sort()).toEqual(parsed.map((h) => h.id).sort());
    expect(new Set(parsed.map((h) => h.id)).size).toBe(parsed.length);
    for (const h of parsed) {
      expect(h.id, h.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect([h.language, h.connection], h.name).toEqual(['sql', 'local']);
      expect(h.description.length, h.name).toBeGreaterThan(50);
      expect(h.tags, h.name).toContain('sample');
      expect(Object.keys(h.extra), h.name).toEqual([]); // every field is one Quarry interprets
      expect(h.techniques.length, h.name).toBeGreaterThan(0);
      for (const t of h.techniques) expect(attack[t], `${h.name}: ${t}`).toBeDefined();
      // Each tactic is one of its techniques' tactics, and each technique serves one of the hunt's tactics.
      const techniqueTactics = new Set(h.techniques.flatMap((t) => attack[t]!.tactics));
      for (const tactic of h.tactics) expect(techniqueTactics.has(tactic), `${h.name}: ${tactic}`).toBe(true);
      for (const t of h.techniques) expect(attack[t]!.tactics.some((x) => h.tactics.includes(x)), `${h.name}: ${t}`).toBe(true);
    }
  });

  it('export back to YAML without loss', () => {
    for (const h of hunts) {
      const yaml = huntToYaml({ ...h, id: h.id!, createdAt: anchor.toISOString(), updatedAt: anchor.toISOString() });
      expect({ ...parseHuntYaml(yaml, 'export.yaml'), sourcePath: null }, h.name).toEqual({ ...h, sourcePath: null });
    }
  });

  it('declare exactly the parameters their SQL uses, each with a default, and map entities to columns the query returns', () => {
    for (const h of hunts) {
      expect([...sqlParameterNames(h.query)].sort(), h.name).toEqual(h.parameters.map((p) => p.name).sort());
      for (const p of h.parameters) expect(p.default, `${h.name}: ${p.name}`).toBeDefined();
      const columns = main.db.prepare(h.query).columns().map((c) => c.name);
      expect(h.entityMappings.length, h.name).toBeGreaterThan(0);
      for (const m of h.entityMappings) {
        expect(Object.keys(sentinelEntities), h.name).toContain(m.entityType);
        for (const f of m.fieldMappings) {
          expect(sentinelEntities[m.entityType], `${h.name}: ${m.entityType}`).toContain(f.identifier);
          expect(columns, `${h.name}: ${m.entityType}.${f.identifier}`).toContain(f.columnName);
        }
      }
    }
  });

  /** What each hunt must return from the sample: the planted activity, and nothing else. */
  const expectations: Record<string, (rows: Row[]) => void> = {
    'password-spray': (rows) => {
      expect(rows.map((r) => r.IPAddress)).toEqual([planted.sprayIp]);
      expect(rows[0]!.TargetedAccounts).toBeGreaterThanOrEqual(20);
    },
    'signin-after-spray': (rows) => {
      expect(rows.map((r) => [r.UserPrincipalName, r.IPAddress])).toEqual([[planted.sprayCompromisedUpn, planted.sprayIp]]);
    },
    'brute-force-then-logon': (rows) => {
      expect(rows.map((r) => [r.IpAddress, r.TargetUserName, r.Computer, r.Failures])).toEqual([
        [planted.bruteForceIp, planted.bruteForceAccount, planted.bruteForceComputer, planted.bruteForceFailures],
      ]);
    },
    'certutil-download': (rows) => {
      expect(rows.map((r) => [r.Host, r.CommandLine, r.Sensor])).toEqual([
        [planted.victimDeviceName, planted.certutilCommandLine, 'DeviceProcessEvents'],
        [planted.victimDeviceName, planted.certutilCommandLine, 'SecurityEvent'],
      ]);
    },
    'beaconing-rare-domain': (rows) => {
      expect(rows.map((r) => [r.SourceIP, r.DestinationHostName])).toEqual([[planted.victimIp, planted.beaconDomain]]);
      expect(Math.abs(Number(rows[0]!.MeanIntervalSeconds) - planted.beaconIntervalSeconds)).toBeLessThan(3);
    },
    'known-bad-hash': (rows) => {
      expect(rows.map((r) => [r.DeviceName, r.FileName, r.SHA256])).toEqual([[planted.victimDeviceName, planted.knownBadFileName, planted.knownBadSha256]]);
    },
    'encoded-powershell': (rows) => {
      expect(rows.map((r) => [r.DeviceName, r.AccountName, r.ProcessCommandLine])).toEqual([
        [planted.victimDeviceName, planted.victimUser, planted.encodedPowerShellCommandLine],
      ]);
    },
    'cleartext-executable-download': (rows) => {
      expect(rows.map((r) => [r.SourceIP, r.RequestURL])).toEqual([[planted.victimIp, planted.downloadUrl]]);
    },
  };

  it('each have an expectation here, so a new sample hunt cannot go untested', () => {
    expect(hunts.map((h) => path.basename(h.sourcePath!, '.yaml')).sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [file, expectRows] of Object.entries(expectations)) {
    it(`${file} finds its planted activity and nothing of the noise`, () => {
      expectRows(runHunt(main.db, huntByFile(file)));
    });
    it(`${file} does the same on a dataset from another seed`, () => {
      expectRows(runHunt(otherSeed, huntByFile(file)));
    });
  }

  it('have thresholds that matter: tightened they lose the attack, loosened they show the noise', () => {
    expect(runHunt(main.db, huntByFile('password-spray'), { minAccounts: planted.sprayTargetCount + 1 })).toEqual([]);
    expect(runHunt(main.db, huntByFile('brute-force-then-logon'), { minFailures: planted.bruteForceFailures + 1 })).toEqual([]);
    // Without the SCCM exclusion, its encoded commands show up next to the planted one.
    expect(runHunt(main.db, huntByFile('encoded-powershell'), { allowedParents: '' }).length).toBeGreaterThan(50);
    expect(runHunt(main.db, huntByFile('certutil-download'), { since: anchor.toISOString() })).toEqual([]);
    const extra = runHunt(main.db, huntByFile('known-bad-hash'), { extraSha256: ` ${hashOf(main.db, 'OUTLOOK.EXE')}` });
    expect(new Set(extra.map((r) => r.FileName))).toEqual(new Set([planted.knownBadFileName, 'OUTLOOK.EXE']));
  });
});

function hashOf(db: Database.Database, fileName: string): string {
  return (db.prepare('SELECT SHA256 FROM DeviceProcessEvents WHERE FileName = ? LIMIT 1').get(fileName) as { SHA256: string }).SHA256;
}
