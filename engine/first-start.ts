import type { Engine } from './engine.js';

/**
 * What a new user gets on first start: the sample dataset in the default
 * local connection, and the sample hunts that find what is planted in it.
 */
export async function seedFirstStart(engine: Engine): Promise<void> {
  void engine; // wired to engine/sample once the sample dataset lands
}
