import { describe, expect, it } from 'vitest';
import { createWorld, sprayHunt } from './world.js';

/** A run recorded as succeeded whose process died before its findings were written loses nothing. */
describe('findings of a run the process died after', () => {
  it('are opened, with their deliveries, when the engine next starts', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await w.prepareSpray();
    // The process "dies" right after the run is stored: the findings listener never runs.
    w.engine.events.removeAllListeners('run.finished');
    const run = await w.engine.runner.run({ hunt: sprayHunt.id });
    expect(run.status).toBe('succeeded');
    expect(await w.api.findings.list()).toEqual([]);

    await w.restart();
    const findings = await w.api.findings.list();
    expect(findings.map((f) => f.entities[0]!.value).sort()).toEqual(['198.51.100.23', '203.0.113.7']);
    expect(findings.every((f) => f.runIds.includes(run.id))).toBe(true);
    expect((await w.api.deliveries.list({})).length).toBe(findings.length * 5);

    // Evaluated once: another start opens nothing more.
    await w.restart();
    expect(await w.api.findings.list()).toHaveLength(2);
  });
});
