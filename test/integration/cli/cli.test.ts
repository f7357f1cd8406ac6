import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quarry } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';

const huntYaml = (id: string, name: string, query: string) => `id: ${id}
name: ${name}
description: test hunt
tactics: [CredentialAccess]
relevantTechniques: [T1110]
query: |
  ${query}
language: sql
connection: local
`;

function fixture(): { data: string; dir: string } {
  const dir = tempDir('quarry-cli-');
  fs.mkdirSync(path.join(dir, 'hunts/nested'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hunts/a.yaml'), huntYaml('aaaaaaaa-0000-0000-0000-000000000001', 'Failed logons', 'SELECT user, count(*) AS n FROM auth WHERE ok = 0 GROUP BY user ORDER BY user'));
  fs.writeFileSync(path.join(dir, 'hunts/nested/b.yml'), huntYaml('aaaaaaaa-0000-0000-0000-000000000002', 'Formula user', "SELECT '=HYPERLINK(1)' AS cell, 1 AS n"));
  fs.writeFileSync(path.join(dir, 'hunts/notes.txt'), 'not a hunt');
  fs.writeFileSync(path.join(dir, 'auth.csv'), 'time,user,ok\n2026-01-05T10:00:00Z,alice,false\n2026-01-05T10:01:00Z,alice,false\n2026-01-05T10:02:00Z,bob,true\n');
  return { data: path.join(dir, 'data'), dir };
}

describe('quarry CLI', () => {
  it('imports logs and a folder of hunts, lists, runs, lists runs and exports results', async () => {
    const { data, dir } = fixture();
    const q = (...args: string[]) => quarry(['--data-dir', data, ...args]);

    const imp = await q('logs', 'import', path.join(dir, 'auth.csv'), '--table', 'auth');
    expect(imp).toMatchObject({ code: 0 });
    expect(imp.stdout).toContain('Imported 3 rows into local.auth (new table)');

    const hunts = await q('hunts', 'import', path.join(dir, 'hunts'));
    expect(hunts.code).toBe(0);
    expect(hunts.stdout).toContain('Imported 2 hunts (0 updated, 2 new)');
    expect((await q('hunts', 'import', path.join(dir, 'hunts'))).stdout).toContain('Imported 2 hunts (2 updated, 0 new)');

    const list = JSON.parse((await q('hunts', 'list', '--json')).stdout) as Array<{ name: string; techniques: string[] }>;
    // The sample hunts seeded on first start are there too, alongside the imported ones.
    expect(list.map((h) => h.name)).toEqual(expect.arrayContaining(['Failed logons', 'Formula user', 'Password spray against Entra ID from one address']));
    expect(list.filter((h) => h.name === 'Failed logons')).toHaveLength(1);

    const run = await q('run', 'Failed logons', '--json');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.run).toMatchObject({ id: 1, status: 'succeeded', rowCount: 1, huntName: 'Failed logons' });
    expect(body.columns).toEqual([{ name: 'user', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(body.rows).toEqual([['alice', 2]]);

    const runs = JSON.parse((await q('runs', 'list', '--json')).stdout);
    expect(runs).toHaveLength(1);

    const csv = await q('results', '1');
    expect(csv.stdout).toBe('user,n\r\nalice,2\r\n');
    const out = path.join(dir, 'r.jsonl');
    expect((await q('results', '1', '--format', 'jsonl', '--out', out)).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('{"user":"alice","n":2}\n');

    await q('run', 'aaaaaaaa-0000-0000-0000-000000000002');
    expect((await q('results', '2')).stdout).toBe("cell,n\r\n'=HYPERLINK(1),1\r\n"); // formula neutralised

    const yaml = await q('hunts', 'export', 'Failed logons');
    expect(yaml.stdout).toContain('id: aaaaaaaa-0000-0000-0000-000000000001');
    expect(yaml.stdout).toContain('relevantTechniques:\n  - T1110');
  }, 90_000); // eleven CLI processes, each starting Node and tsx: on two busy cores one can take several seconds

  it('fails with a clear message and a non-zero exit code on bad input', async () => {
    const { data, dir } = fixture();
    const q = (...args: string[]) => quarry(['--data-dir', data, ...args]);
    fs.writeFileSync(path.join(dir, 'hunts/broken.yaml'), 'name: x\nquery: |\n  a\n bad: [\n');

    const imp = await q('hunts', 'import', path.join(dir, 'hunts'));
    expect(imp.code).toBe(1);
    expect(imp.stderr).toContain(`${path.join(dir, 'hunts/broken.yaml')}:4: malformed YAML`);
    expect(imp.stdout).toContain('Imported 2 hunts'); // the good files still made it

    const unknown = await q('run', 'No such hunt');
    expect(unknown).toMatchObject({ code: 1, stderr: 'quarry: hunt not found: No such hunt\n' });

    const badSql = await q('run', 'Failed logons');
    expect(badSql.code).toBe(1);
    expect(badSql.stderr).toMatch(/failed: query on "local" failed: no such table: auth/);

    const badCsv = path.join(dir, 'bad.csv');
    fs.writeFileSync(badCsv, 'a,b\n1,2\n3,"unterminated\n');
    const logs = await q('logs', 'import', badCsv, '--table', 'x');
    expect(logs).toMatchObject({ code: 1 });
    expect(logs.stderr).toContain(`${badCsv}:3: unterminated quoted field`);

    expect((await q('results', '99')).stderr).toContain('run not found: 99');
    expect((await q('logs', 'import', badCsv, '--table', 'x', '--connection', 'nope!')).stderr).toContain('invalid connection name');
    expect((await q('hunts', 'frobnicate')).code).toBe(2);
  });

  it('takes the data dir from QUARRY_DATA_DIR', async () => {
    const data = path.join(tempDir(), 'from-env');
    const r = await quarry(['hunts', 'list'], { env: { QUARRY_DATA_DIR: data } });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(data, 'quarry.db'))).toBe(true);
  });
});
