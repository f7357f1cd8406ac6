import { afterEach } from 'vitest';
import { openStore, type Db } from '../../../engine/store/db.js';
import { insertRun, finishRun } from '../../../engine/runs/run-repo.js';
import { ResultWriter } from '../../../engine/runs/result-store.js';
import { HuntLibrary } from '../../../engine/hunts/library.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { createEnrichmentService, type EnrichmentService } from '../../../engine/enrichment/service.js';
import type { EnrichmentSettingsInput } from '../../../engine/enrichment/settings.js';
import { providerSecretAccount } from '../../../connectors/enrichers/index.js';
import type { EntityMapping, ResultColumn, StoredValue } from '../../../engine/types.js';
import { startVirusTotalFake, type VirusTotalFake } from '../fakes/virustotal/index.js';
import { startXForceFake, type XForceFake } from '../fakes/xforce/index.js';
import { startOtxFake, type OtxFake } from '../fakes/otx/index.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { FakeClock } from '../../unit/enrichment/fake-clock.js';

/**
 * An enrichment test's world: a store in a temp dir, the three fakes on
 * loopback with their keys in an in-memory keychain, a fake clock whose
 * sleeps advance time, and a way to "restart" (close and re-open the store).
 */
export interface World {
  db: Db;
  clock: FakeClock;
  secrets: MemorySecretStore;
  vt: VirusTotalFake;
  xf: XForceFake;
  otx: OtxFake;
  service(settings?: EnrichmentSettingsInput): EnrichmentService;
  /** Closes and re-opens the store, as an engine restart does. */
  restart(): void;
  /** Stores a finished run with these columns and rows (and a hunt with these entity mappings). */
  storeRun(columns: ResultColumn[], rows: StoredValue[][], entityMappings?: EntityMapping[]): number;
  /** Every indicator any fake was asked about. */
  sentAnywhere(): string[];
}

const open: World[] = [];
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const w of open.splice(0)) if (w.db.open) w.db.close();
  for (const close of closers.splice(0)) await close();
});

export async function createWorld(): Promise<World> {
  const dir = tempDir('quarry-enrich-');
  const clock = new FakeClock();
  const secrets = new MemorySecretStore();
  const [vt, xf, otx] = await Promise.all([startVirusTotalFake(), startXForceFake(), startOtxFake()]);
  closers.push(() => vt.close(), () => xf.close(), () => otx.close());
  await secrets.set(providerSecretAccount('virustotal', 'apiKey'), 'vt-test-key');
  await secrets.set(providerSecretAccount('xforce', 'apiKey'), 'xf-key');
  await secrets.set(providerSecretAccount('xforce', 'apiPassword'), 'xf-password');
  await secrets.set(providerSecretAccount('otx', 'apiKey'), 'otx-test-key');

  const world: World = {
    db: openStore(dir),
    clock,
    secrets,
    vt,
    xf,
    otx,
    service(settings = {}) {
      return createEnrichmentService({
        db: world.db,
        secrets,
        clock,
        sleep: clock.sleep,
        settings: {
          ...settings,
          providers: {
            ...settings.providers,
            virustotal: { baseUrl: vt.url, ...settings.providers?.virustotal },
            xforce: { baseUrl: xf.url, ...settings.providers?.xforce },
            otx: { baseUrl: otx.url, ...settings.providers?.otx },
          },
        },
      });
    },
    restart() {
      world.db.close();
      world.db = openStore(dir);
    },
    storeRun(columns, rows, entityMappings = []) {
      const hunt = new HuntLibrary(world.db, clock).save({ name: `hunt ${Math.random()}`, language: 'sql', query: 'SELECT 1', entityMappings });
      const runId = insertRun(world.db, {
        huntId: hunt.id, huntName: hunt.name, connection: 'local', language: 'sql', query: 'SELECT 1', parameters: {}, startedAt: clock.now().toISOString(),
      });
      const writer = new ResultWriter(world.db, runId);
      writer.setColumns(columns);
      writer.write(rows);
      finishRun(world.db, runId, { status: 'succeeded', endedAt: clock.now(), rowCount: rows.length, warnings: [] });
      return runId;
    },
    sentAnywhere: () => [...vt.indicatorsRequested(), ...xf.indicatorsRequested(), ...otx.indicatorsRequested()],
  };
  open.push(world);
  return world;
}
