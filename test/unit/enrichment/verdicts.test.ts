import { describe, expect, it } from 'vitest';
import { virusTotalVerdict, virusTotalUrlId } from '../../../connectors/enrichers/virustotal/virustotal.js';
import { xforceScoreVerdict } from '../../../connectors/enrichers/xforce/xforce.js';
import { otxVerdict } from '../../../connectors/enrichers/otx/otx.js';
import { maxVerdict } from '../../../engine/enrichment/indicator.js';
import { planColumns } from '../../../engine/enrichment/entity-columns.js';

describe('provider answers to verdicts', () => {
  it('VirusTotal: enough malicious engines, any flag, clean scans, nothing scanned', () => {
    expect(virusTotalVerdict({ malicious: 5, suspicious: 0, harmless: 60, undetected: 25 }, 3)).toEqual({ verdict: 'malicious', score: 6 });
    expect(virusTotalVerdict({ malicious: 1, suspicious: 0, harmless: 70, undetected: 19 }, 3).verdict).toBe('suspicious');
    expect(virusTotalVerdict({ malicious: 0, suspicious: 2, harmless: 70, undetected: 18 }, 3).verdict).toBe('suspicious');
    expect(virusTotalVerdict({ malicious: 0, suspicious: 0, harmless: 70, undetected: 20 }, 3)).toEqual({ verdict: 'harmless', score: 0 });
    expect(virusTotalVerdict({ malicious: 0, suspicious: 0, harmless: 0, undetected: 0, timeout: 3 }, 3)).toEqual({ verdict: 'unknown', score: null });
    expect(virusTotalVerdict(undefined, 3).verdict).toBe('unknown');
  });

  it('VirusTotal URL ids are unpadded base64url', () => {
    expect(virusTotalUrlId('http://evil.com/?a=1')).toBe('aHR0cDovL2V2aWwuY29tLz9hPTE');
  });

  it('X-Force: risk score 1-10', () => {
    expect(xforceScoreVerdict(10)).toEqual({ verdict: 'malicious', score: 100 });
    expect(xforceScoreVerdict(7)).toEqual({ verdict: 'malicious', score: 70 });
    expect(xforceScoreVerdict(4.3).verdict).toBe('suspicious');
    expect(xforceScoreVerdict(1)).toEqual({ verdict: 'harmless', score: 10 });
    expect(xforceScoreVerdict(undefined).verdict).toBe('unknown');
  });

  it('OTX: pulses make it suspicious then malicious; validation vouches; no pulses is no opinion', () => {
    expect(otxVerdict({ pulse_info: { count: 0 }, validation: [] }, 3)).toEqual({ verdict: 'unknown', score: null });
    expect(otxVerdict({ pulse_info: { count: 0 }, validation: [{ source: 'whitelist' }] }, 3)).toEqual({ verdict: 'harmless', score: 0 });
    expect(otxVerdict({ pulse_info: { count: 1 }, validation: [] }, 3).verdict).toBe('suspicious');
    expect(otxVerdict({ pulse_info: { count: 4 }, validation: [] }, 3)).toEqual({ verdict: 'malicious', score: 80 });
    expect(otxVerdict({ pulse_info: { count: 40 }, validation: [{ source: 'alexa' }] }, 3).verdict).toBe('suspicious');
  });

  it('the most severe verdict wins', () => {
    expect(maxVerdict(['harmless', 'malicious', 'unknown'])).toBe('malicious');
    expect(maxVerdict([])).toBe('unknown');
  });
});

describe('entity mappings to column plans', () => {
  const columns = [
    { name: 'TimeGenerated', type: 'datetime' as const },
    { name: 'SrcIp', type: 'string' as const },
    { name: 'Url', type: 'string' as const },
    { name: 'User', type: 'string' as const },
    { name: 'CommandLine', type: 'string' as const },
    { name: 'Hash', type: 'string' as const },
    { name: 'Bytes', type: 'long' as const },
    { name: 'Extra', type: 'dynamic' as const },
  ];

  it('types mapped columns, scans the other text columns, and skips numbers, dates and non-indicator identifiers', () => {
    const plans = planColumns(columns, [
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SrcIp' }] },
      { entityType: 'URL', fieldMappings: [{ identifier: 'Url', columnName: 'Url' }] },
      { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'User' }] },
      { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'CommandLine' }] },
      { entityType: 'FileHash', fieldMappings: [{ identifier: 'Algorithm', columnName: 'Bytes' }, { identifier: 'Value', columnName: 'Hash' }] },
    ]);
    const byName = Object.fromEntries(plans.map((p) => [p.name, p.types ? [...p.types].sort() : 'free text']));
    expect(byName).toEqual({
      SrcIp: ['ipv4', 'ipv6'],
      Url: ['domain', 'ipv4', 'ipv6', 'url'],
      CommandLine: 'free text',
      Hash: ['md5', 'sha1', 'sha256'],
      Extra: 'free text',
    });
  });
});
