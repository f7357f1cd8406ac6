import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  enrichmentSettingsFile, mergeSettings, readEnrichmentSettings, readStoredEnrichmentSettings, setSettingPath, writeStoredEnrichmentSettings,
} from '../../../engine/enrichment/settings-file.js';
import { indicatorValuesOf } from '../../../engine/enrichment/run-verdicts.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('the enrichment settings file', () => {
  it('holds only what was set; the defaults fill in the rest', () => {
    const dir = tempDir('quarry-settings-');
    expect(readStoredEnrichmentSettings(dir)).toEqual({});
    expect(readEnrichmentSettings(dir).providers.virustotal).toMatchObject({ perMinute: 4, perDay: 500, enabled: true });

    const stored = setSettingPath(setSettingPath({}, 'providers.virustotal.perDay', 15_000), 'providers.virustotal.perMinute', null);
    writeStoredEnrichmentSettings(dir, stored);
    expect(JSON.parse(fs.readFileSync(enrichmentSettingsFile(dir), 'utf8'))).toEqual({ providers: { virustotal: { perDay: 15_000, perMinute: null } } });
    expect(readEnrichmentSettings(dir).providers.virustotal).toMatchObject({ perMinute: null, perDay: 15_000 });
    expect(readEnrichmentSettings(dir).cacheTtlHours).toBe(72);

    writeStoredEnrichmentSettings(dir, setSettingPath(readStoredEnrichmentSettings(dir), 'providers.virustotal.perDay', undefined));
    expect(readEnrichmentSettings(dir).providers.virustotal).toMatchObject({ perMinute: null, perDay: 500 });
  });

  it('refuses what does not validate and leaves the file as it was', () => {
    const dir = tempDir('quarry-settings-');
    writeStoredEnrichmentSettings(dir, { cacheTtlHours: 24 });
    expect(() => writeStoredEnrichmentSettings(dir, { cacheTtlHours: -1 })).toThrow(/cacheTtlHours/);
    expect(() => writeStoredEnrichmentSettings(dir, { allowlist: { cidrs: ['10.0.0.0/33'] } })).toThrow(/not an IPv4 or IPv6 network/);
    expect(() => writeStoredEnrichmentSettings(dir, { providers: { shodan: {} } })).toThrow(/providers/);
    expect(readStoredEnrichmentSettings(dir)).toEqual({ cacheTtlHours: 24 });
    fs.writeFileSync(enrichmentSettingsFile(dir), '{ nope');
    expect(() => readEnrichmentSettings(dir)).toThrow(/enrichment\.json is not valid JSON/);
  });

  it('merges objects key by key; arrays and scalars replace', () => {
    const base = { providers: { virustotal: { perDay: 1, baseUrl: 'http://x' } }, allowlist: { domains: ['a.com'], cidrs: ['10.0.0.0/8'] } };
    expect(mergeSettings(base, { providers: { virustotal: { perDay: null } }, allowlist: { domains: ['b.com'] } })).toEqual({
      providers: { virustotal: { perDay: null, baseUrl: 'http://x' } },
      allowlist: { domains: ['b.com'], cidrs: ['10.0.0.0/8'] },
    });
  });
});

describe('finding entity values and indicators', () => {
  it('adds the canonical indicator each value stands for, so defanged or oddly cased entities match', () => {
    expect(indicatorValuesOf(['185.220.101.4'])).toEqual(['185.220.101.4']);
    expect(indicatorValuesOf(['hxxps://Evil-C2[.]net/gate'])).toEqual(['hxxps://Evil-C2[.]net/gate', 'https://evil-c2.net/gate', 'evil-c2.net']);
    expect(indicatorValuesOf(['2001:DB8:0:0::1', 'alice'])).toEqual(['2001:DB8:0:0::1', '2001:db8::1', 'alice']);
  });
});
