/** The embedded sample dataset and the sample hunts that find what is planted in it. */
export { generateSampleDataset, DEFAULT_SAMPLE_SEED, type SampleDatasetOptions, type SampleDatasetResult } from './generate.js';
export { loadSampleHunts, sampleHuntsDir, SAMPLE_HUNTS_BUNDLE_DIR, SAMPLE_HUNTS_SOURCE_DIR } from './hunts.js';
export { planted } from './planted.js';
export { sampleTables, type SampleTableName } from './tables.js';
export { mulberry32, Rng } from './prng.js';
