import { describe, expect, it } from 'vitest';
import { dedupKey, newCorrelationId } from '../../../engine/findings/dedup.js';
import { routeMatches, type Route } from '../../../engine/findings/routing.js';
import { indicatorVerdictSource, raiseSeverity } from '../../../engine/findings/verdicts.js';

describe('dedup keys', () => {
  it('are the same for the same hunt and entity values, whatever their order or case', () => {
    const a = dedupKey('hunt-1', [{ column: 'Account', value: 'Alice@Contoso.com' }, { column: 'IP', value: '203.0.113.7' }]);
    const b = dedupKey('hunt-1', [{ column: 'IP', value: ' 203.0.113.7' }, { column: 'Account', value: 'alice@contoso.com' }]);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(dedupKey('hunt-2', [{ column: 'IP', value: '203.0.113.7' }, { column: 'Account', value: 'alice@contoso.com' }])).not.toBe(a);
    expect(dedupKey('hunt-1', [{ column: 'IP', value: '203.0.113.8' }, { column: 'Account', value: 'alice@contoso.com' }])).not.toBe(a);
    // Column boundaries matter: ("a", "bc") is not ("ab", "c").
    expect(dedupKey('h', [{ column: 'a', value: 'bc' }])).not.toBe(dedupKey('h', [{ column: 'ab', value: 'c' }]));
  });

  it('give every finding a correlation id that every sink accepts', () => {
    const id = newCorrelationId('0123456789abcdef0123456789abcdef');
    expect(id).toMatch(/^quarry-0123456789abcdef0123456789abcdef-[0-9a-f]{8}$/);
    expect(id.length).toBeLessThanOrEqual(100); // ServiceNow correlation_id
    expect(newCorrelationId('0123456789abcdef0123456789abcdef')).not.toBe(id);
  });
});

describe('routing', () => {
  const route = (r: Partial<Route>): Route => ({ id: 1, sink: 's', sinkId: 's', sinkKind: 'slack', minSeverity: 'informational', tags: [], tactics: [], hunts: [], ...r });
  const finding = { severity: 'medium' as const, tags: ['Spray'], tactics: ['CredentialAccess'], huntId: 'h1', huntName: 'Password spray' };

  it('matches on minimum severity, hunt tags, ATT&CK tactics and hunts', () => {
    expect(routeMatches(route({}), finding)).toBe(true);
    expect(routeMatches(route({ minSeverity: 'medium' }), finding)).toBe(true);
    expect(routeMatches(route({ minSeverity: 'high' }), finding)).toBe(false);
    expect(routeMatches(route({ tags: ['spray'] }), finding)).toBe(true);
    expect(routeMatches(route({ tags: ['ransomware'] }), finding)).toBe(false);
    expect(routeMatches(route({ tactics: ['Credential Access'] }), finding)).toBe(true);
    expect(routeMatches(route({ tactics: ['credential-access', 'Persistence'] }), finding)).toBe(true);
    expect(routeMatches(route({ tactics: ['Persistence'] }), finding)).toBe(false);
    expect(routeMatches(route({ hunts: ['Password spray'] }), finding)).toBe(true);
    expect(routeMatches(route({ hunts: ['h2'] }), finding)).toBe(false);
    expect(routeMatches(route({ minSeverity: 'low', tags: ['spray'], tactics: ['Persistence'] }), finding)).toBe(false);
  });
});

describe('threat-intel verdicts', () => {
  it('raise severity: malicious to high, suspicious to at least medium', () => {
    expect(raiseSeverity('low', 'malicious')).toBe('high');
    expect(raiseSeverity('low', 'suspicious')).toBe('medium');
    expect(raiseSeverity('high', 'suspicious')).toBe('high');
    expect(raiseSeverity('low', 'harmless')).toBe('low');
    expect(raiseSeverity('informational', null)).toBe('informational');
  });

  it('come from a run\'s indicators that match the entity values', () => {
    const source = indicatorVerdictSource((runId) => (runId === 7
      ? [{ value: '203.0.113.7', verdict: 'suspicious' }, { value: 'evil.example', verdict: 'malicious' }, { value: '10.0.0.1', verdict: 'harmless' }]
      : []));
    expect(source.maxVerdictFor(7, ['203.0.113.7', '10.0.0.1'])).toBe('suspicious');
    expect(source.maxVerdictFor(7, ['EVIL.example', '203.0.113.7'])).toBe('malicious');
    expect(source.maxVerdictFor(7, ['198.51.100.1'])).toBeNull();
    expect(source.maxVerdictFor(8, ['evil.example'])).toBeNull();
  });
});
