import type { EventEmitter } from 'node:events';
import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Connection, Hunt, Run } from '../types.js';
import type { HuntLibrary } from '../hunts/library.js';
import type { Source } from '../../connectors/sources/types.js';
import { languageOfKind } from '../../connectors/sources/types.js';
import { QuarryError, errorMessage } from '../errors.js';
import { bindParameters } from './parameters.js';
import { ResultWriter } from './result-store.js';
import { finishRun, getRun, insertRun } from './run-repo.js';

export interface RunRequest {
  /** Hunt id or exact name. */
  hunt: string;
  params?: Record<string, string | number | boolean | null>;
  /** Run against this connection instead of the hunt's own. */
  connection?: string;
  window?: { start: string; end: string };
  timeoutMs?: number;
}

export interface RunnerDeps {
  db: Db;
  hunts: HuntLibrary;
  clock: Clock;
  events: EventEmitter;
  openSource(connectionName: string): { connection: Connection; source: Source };
}

const languageName = { kql: 'KQL', tsql: 'T-SQL', sql: 'SQL' } as const;

/**
 * Runs hunts: records the run, streams the source's rows into the run's result
 * table in batches, and leaves either a complete result or a failed run with
 * the engine's message and no rows.
 */
export class Runner {
  private readonly active = new Map<number, AbortController>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Starts a run; `runId` is known at once, `done` settles with the finished run (never rejects for query errors). */
  start(req: RunRequest): { runId: number; done: Promise<Run> } {
    const { db, hunts, clock } = this.deps;
    const hunt = hunts.get(req.hunt);
    const connectionName = req.connection ?? hunt.connection;
    if (!connectionName) {
      throw new QuarryError('invalid_input', `hunt "${hunt.name}" has no connection: pass one (--connection NAME) or set it in the hunt`);
    }
    const params = bindParameters(hunt.parameters, req.params);
    const { connection, source } = this.deps.openSource(connectionName);
    checkLanguage(hunt, connection);
    const runId = insertRun(db, {
      huntId: hunt.id,
      huntName: hunt.name,
      connection: connection.name,
      language: hunt.language,
      query: hunt.query,
      parameters: Object.fromEntries(params.map((p) => [p.name, p.value])),
      startedAt: clock.now().toISOString(),
      window: req.window,
    });
    const controller = new AbortController();
    this.active.set(runId, controller);
    this.deps.events.emit('run.started', { runId, huntId: hunt.id });
    const done = this.execute(runId, hunt, source, { ...req, params: undefined }, params, controller).finally(() => {
      this.active.delete(runId);
      void source.close().catch(() => undefined);
    });
    return { runId, done };
  }

  async run(req: RunRequest): Promise<Run> {
    return this.start(req).done;
  }

  cancel(runId: number): boolean {
    const c = this.active.get(runId);
    c?.abort();
    return c !== undefined;
  }

  get activeRunIds(): number[] {
    return [...this.active.keys()];
  }

  private async execute(
    runId: number,
    hunt: Hunt,
    source: Source,
    req: RunRequest,
    params: ReturnType<typeof bindParameters>,
    controller: AbortController,
  ): Promise<Run> {
    const { db, clock, events } = this.deps;
    const writer = new ResultWriter(db, runId);
    const warnings: string[] = [];
    try {
      await source.run(
        { language: hunt.language, query: hunt.query, parameters: params, window: req.window, signal: controller.signal, timeoutMs: req.timeoutMs },
        {
          setColumns: (columns) => writer.setColumns(columns),
          writeRows: async (rows) => {
            writer.write(rows);
            events.emit('run.progress', { runId, rows: writer.rowCount });
          },
          writePacked: async (batch) => {
            await writer.writePacked(batch);
            events.emit('run.progress', { runId, rows: writer.rowCount });
          },
          warn: (message) => void warnings.push(message),
        },
      );
      if (!writer.hasColumns) writer.setColumns([]);
      await writer.flushed();
      finishRun(db, runId, { status: 'succeeded', endedAt: clock.now(), rowCount: writer.rowCount, warnings });
    } catch (err) {
      await writer.discard();
      const cancelled = controller.signal.aborted || (err instanceof QuarryError && err.code === 'cancelled');
      finishRun(db, runId, {
        status: cancelled ? 'cancelled' : 'failed',
        endedAt: clock.now(),
        rowCount: 0,
        error: cancelled ? 'cancelled by the user' : errorMessage(err),
        warnings,
      });
    }
    const run = getRun(db, runId);
    events.emit('run.finished', run);
    return run;
  }
}

function checkLanguage(hunt: Hunt, connection: Connection): void {
  const expected = languageOfKind[connection.kind];
  if (hunt.language !== expected) {
    throw new QuarryError(
      'invalid_input',
      `hunt "${hunt.name}" is written in ${languageName[hunt.language]} but connection "${connection.name}" (${connection.kind}) takes ${languageName[expected]}`,
    );
  }
}
