import { describe, expect, it } from 'vitest';
import { huntToYaml, parseHuntYaml, HuntYamlError, stableIdFromName } from '../../../engine/hunts/yaml.js';
import type { Hunt } from '../../../engine/types.js';

/** Shaped like a hunting query from the Azure-Sentinel repository. */
const sentinelYaml = `id: 9d3a7e2b-1f4c-4d0a-8c55-0f6f0c2b1a10
name: Password spray attempts (Entra ID)
description: |
  'Identifies IPs failing sign-in against many accounts.
  Multiple lines are kept verbatim.'
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
tactics:
  - CredentialAccess
relevantTechniques:
  - T1110.003
query: |
  SigninLogs
  | where ResultType == "50126"
  | summarize Accounts = dcount(UserPrincipalName) by IPAddress
  | where Accounts > 10
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
version: 1.0.1
metadata:
  source:
    kind: Community
  author:
    name: Someone
  support:
    tier: Community
tags:
  - id: 0f6f0c2b-aaaa-bbbb-cccc-000000000000
    version: 1.0.0
`;

const toComparable = (h: ReturnType<typeof parseHuntYaml>) => ({ ...h, sourcePath: null });

describe('hunt YAML', () => {
  it('reads a Sentinel hunting query', () => {
    const h = parseHuntYaml(sentinelYaml, 'spray.yaml');
    expect(h.id).toBe('9d3a7e2b-1f4c-4d0a-8c55-0f6f0c2b1a10');
    expect(h.language).toBe('kql');
    expect(h.connection).toBeNull();
    expect(h.tactics).toEqual(['CredentialAccess']);
    expect(h.techniques).toEqual(['T1110.003']);
    expect(h.requiredDataConnectors).toEqual([{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] }]);
    expect(h.entityMappings[0]!.fieldMappings[0]).toEqual({ identifier: 'Address', columnName: 'IPAddress' });
    expect(h.version).toBe('1.0.1');
    expect(h.query).toContain('| where Accounts > 10\n');
    expect(h.extra.metadata).toEqual({ source: { kind: 'Community' }, author: { name: 'Someone' }, support: { tier: 'Community' } });
    expect(h.extra.tags).toBeDefined(); // structured Sentinel tags are kept as they were
  });

  it('round-trips Sentinel YAML through export without loss', () => {
    const first = parseHuntYaml(sentinelYaml, 'a.yaml');
    const hunt = { ...first, id: first.id!, createdAt: 'x', updatedAt: 'x' } as Hunt;
    const again = parseHuntYaml(huntToYaml(hunt), 'b.yaml');
    expect(toComparable(again)).toEqual(toComparable(first));
    expect(huntToYaml({ ...again, id: again.id!, createdAt: 'x', updatedAt: 'x' } as Hunt)).toBe(huntToYaml(hunt));
  });

  it('round-trips Quarry fields: language, connection, parameters, severity, tags', () => {
    const quarry = `id: q1
name: Brute force
description: ''
query: SELECT 1 WHERE @min > 0
language: sql
connection: local
severity: High
tags: [bruteforce, windows]
version: "2"
parameters:
  - name: min
    type: int
    default: 20
    description: failures before it counts
`;
    const h = parseHuntYaml(quarry, 'q.yaml');
    expect(h).toMatchObject({ language: 'sql', connection: 'local', severity: 'high', tags: ['bruteforce', 'windows'], version: '2' });
    expect(h.parameters).toEqual([{ name: 'min', type: 'int', default: 20, description: 'failures before it counts' }]);
    const again = parseHuntYaml(huntToYaml({ ...h, id: h.id!, createdAt: '', updatedAt: '' } as Hunt), 'q2.yaml');
    expect(toComparable(again)).toEqual(toComparable(h));
  });

  it('keeps "version: 1.0" as written', () => {
    expect(parseHuntYaml('name: a\nquery: x\nversion: 1.0\n', 'v.yaml').version).toBe('1.0');
  });

  it('gives hunts without an id a stable one from their name', () => {
    const a = parseHuntYaml('name: Same name\nquery: x\n', 'a.yaml');
    expect(a.id).toBe(stableIdFromName('Same name'));
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['name: x\nquery: |\n  a\n bad: [\n', 'bad.yaml:4: malformed YAML'],
    ['- just\n- a list\n', 'must be a YAML mapping'],
    ['name: no query here\nversion: 1\n', 'missing "query"'],
    ['name: a\nquery: x\nrelevantTechniques:\n  - T1110\n  - 1110\n', 'relevantTechniques.1'],
  ])('names the file and line of bad input (%#)', (text, message) => {
    try {
      parseHuntYaml(text, 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HuntYamlError);
      expect((err as HuntYamlError).message).toMatch(/^bad\.yaml:\d+: /);
      expect((err as HuntYamlError).message).toContain(message);
    }
  });

  it('points at the line of the offending technique', () => {
    try {
      parseHuntYaml('name: a\nquery: x\nrelevantTechniques:\n  - T1110\n  - nonsense\n', 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      expect((err as HuntYamlError).line).toBe(5);
    }
  });
});
