import type { Engine } from './engine.js';
import { DEFAULT_LOCAL_CONNECTION } from './local-connections.js';
import { localDbPath, openLocalDb } from '../connectors/sources/local/local-db.js';
import { generateSampleDataset, loadSampleHunts } from './sample/index.js';

/**
 * What a new user gets on first start: the sample dataset in the default
 * local connection (a week of logs ending now, so time-windowed hunts find
 * it), and the sample hunts that find what is planted in it.
 */
export async function seedFirstStart(engine: Engine): Promise<void> {
  const connection = engine.connection(DEFAULT_LOCAL_CONNECTION);
  const db = openLocalDb(localDbPath(connection, engine.dataDir));
  try {
    generateSampleDataset(db, { anchor: engine.clock.now() });
  } finally {
    db.close();
  }
  for (const hunt of loadSampleHunts()) {
    if (!hunt.id || !engine.hunts.exists(hunt.id)) engine.hunts.saveParsed(hunt);
  }
}
