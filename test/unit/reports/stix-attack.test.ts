import { describe, expect, it } from 'vitest';
import { stixPattern, stixString } from '../../../engine/reports/stix.js';
import { uuidv5 } from '../../../engine/reports/uuid.js';
import { attackCoverage, attackTactic, attackTechnique, tacticPhase } from '../../../engine/reports/attack.js';

describe('STIX patterns', () => {
  it('writes one comparison per indicator type with the STIX object path for it', () => {
    expect(stixPattern('ipv4', '203.0.113.7')).toBe("[ipv4-addr:value = '203.0.113.7']");
    expect(stixPattern('ipv6', '2001:db8::1')).toBe("[ipv6-addr:value = '2001:db8::1']");
    expect(stixPattern('domain', 'evil.example')).toBe("[domain-name:value = 'evil.example']");
    expect(stixPattern('url', 'https://evil.example/x')).toBe("[url:value = 'https://evil.example/x']");
    expect(stixPattern('email', 'a@evil.example')).toBe("[email-addr:value = 'a@evil.example']");
    expect(stixPattern('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toBe("[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']");
    expect(stixPattern('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBe("[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']");
    expect(stixPattern('sha256', 'ab'.repeat(32))).toBe(`[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`);
    expect(stixPattern('registry', 'x')).toBeNull();
  });

  it('escapes quotes and backslashes in string literals', () => {
    expect(stixString("a'b\\c")).toBe("'a\\'b\\\\c'");
    expect(stixString("']")).toBe("'\\']'");
  });

  it('makes name-based UUIDs as RFC 9562 does', () => {
    // The RFC's example: www.example.com in the DNS namespace.
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('ATT&CK', () => {
  it('names tactics the way Sentinel, people and STIX kill chains write them', () => {
    for (const t of ['CredentialAccess', 'Credential Access', 'credential_access', 'credential-access']) expect(tacticPhase(t)).toBe('credential-access');
    expect(attackTactic('CommandAndControl')).toEqual({ name: 'Command and Control', phase: 'command-and-control', id: 'TA0011', url: 'https://attack.mitre.org/tactics/TA0011/' });
    expect(attackTactic('PreAttack')).toEqual({ name: 'Pre Attack', phase: 'pre-attack', id: null, url: null });
  });

  it('links techniques and sub-techniques', () => {
    expect(attackTechnique('T1110.003')).toEqual({ id: 'T1110.003', url: 'https://attack.mitre.org/techniques/T1110/003/' });
    expect(attackTechnique('t1078')).toEqual({ id: 'T1078', url: 'https://attack.mitre.org/techniques/T1078/' });
    expect(attackTechnique('<script>')).toBeNull();
    const c = attackCoverage([{ tactics: ['InitialAccess', 'CredentialAccess'], techniques: ['T1110.003'] }, { tactics: ['Initial Access'], techniques: ['T1078', 'T1110.003'] }]);
    expect(c.tactics.map((t) => t.id)).toEqual(['TA0001', 'TA0006']);
    expect(c.techniques.map((t) => t.id)).toEqual(['T1078', 'T1110.003']);
  });
});
