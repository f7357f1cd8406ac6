import { afterEach, expect } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { createClient, type QuarryClient } from '../../../engine/client.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { startVirusTotalFake, type VirusTotalFake } from '../fakes/virustotal/index.js';
import { startXForceFake, type XForceFake } from '../fakes/xforce/index.js';
import { startOtxFake, type OtxFake } from '../fakes/otx/index.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { writeTempFile } from '../../helpers/engine.js';

/** An engine with the three providers' fakes as its endpoints, and a hunt whose run has public, private and malicious addresses. */

export const C2_IP = '185.220.101.4';
export const QUIET_IP = '45.33.32.156';
export const VT_KEY = 'vt-test-key';

export interface World {
  engine: Engine;
  api: QuarryClient;
  secrets: MemorySecretStore;
  vt: VirusTotalFake;
  xf: XForceFake;
  otx: OtxFake;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export async function createWorld(dataDir = tempDir('quarry-enrich-api-')): Promise<World> {
  const secrets = new MemorySecretStore();
  const [vt, xf, otx] = await Promise.all([startVirusTotalFake({ apiKey: VT_KEY }), startXForceFake(), startOtxFake()]);
  const engine = await Engine.open({ dataDir, secrets, sampleData: false });
  cleanups.push(async () => {
    if (engine.db.open) engine.close();
    await Promise.all([vt.close(), xf.close(), otx.close()]);
  });
  const dispatch = createDispatcher(engine);
  const api = createClient((m, a) => dispatch(m, a), (event, listener) => {
    engine.events.on(event, listener);
    return () => engine.events.off(event, listener);
  });
  // The fakes stand in for the real services; the minute quota is lifted so a test never waits for it.
  await api.enrichment.setSettings({
    settings: {
      providers: {
        virustotal: { baseUrl: vt.url, perMinute: null },
        xforce: { baseUrl: xf.url },
        otx: { baseUrl: otx.url },
      },
    },
  });
  return { engine, api, secrets, vt, xf, otx };
}

/** Outbound connections by host, as a firewall log would show them; the hunt groups by destination. */
export async function runBeaconHunt(w: World): Promise<number> {
  const csv = ['TimeGenerated,DestinationIP,DeviceName'];
  for (let i = 0; i < 6; i++) csv.push(`2026-03-10T09:0${i}:00Z,${C2_IP},ws-${i}`);
  for (let i = 0; i < 3; i++) csv.push(`2026-03-10T10:0${i}:00Z,${QUIET_IP},ws-${i}`);
  csv.push('2026-03-10T11:00:00Z,10.1.2.3,ws-9');
  await w.engine.importLogs({ file: writeTempFile('fw.csv', csv.join('\n')), table: 'Firewall' });
  const hunt = w.engine.hunts.save({
    name: 'Beaconing to rare hosts',
    language: 'sql',
    connection: 'local',
    query: 'SELECT DestinationIP, count(*) AS Hits FROM Firewall GROUP BY DestinationIP',
    severity: 'low',
    entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'DestinationIP' }] }],
  });
  const run = await w.engine.runner.run({ hunt: hunt.id });
  expect(run.status).toBe('succeeded');
  return run.id;
}

