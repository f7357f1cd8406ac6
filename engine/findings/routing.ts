import { z } from 'zod';
import type { Db } from '../store/db.js';
import { severities, type Severity } from '../types.js';
import { QuarryError } from '../errors.js';
import type { SinkKind } from '../../connectors/sinks/types.js';
import { getSink } from './sink-registry.js';
import type { Finding } from './types.js';
import { severityRank } from './verdicts.js';

/**
 * Routing rules: which findings go to which sinks. A finding goes to every
 * sink with at least one matching route; a route matches when the finding is
 * at least its severity and, for each list it sets, shares one entry with it
 * (hunt tags, ATT&CK tactics, hunts by id or name). No routes, no deliveries.
 */

export const routeInputSchema = z
  .object({
    sink: z.string().min(1),
    minSeverity: z.enum(severities as [Severity, ...Severity[]]).default('informational'),
    tags: z.array(z.string().min(1)).default([]),
    tactics: z.array(z.string().min(1)).default([]),
    hunts: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type RouteInput = z.input<typeof routeInputSchema>;

export interface Route {
  id: number;
  sink: string;
  sinkId: string;
  sinkKind: SinkKind;
  minSeverity: Severity;
  tags: string[];
  tactics: string[];
  hunts: string[];
}

interface Row {
  id: number;
  sink_id: string;
  name: string;
  kind: string;
  min_severity: string;
  tags: string;
  tactics: string;
  hunts: string;
}

export function listRoutes(db: Db): Route[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.sink_id, s.name, s.kind, r.min_severity, r.tags, r.tactics, r.hunts
       FROM finding_routes r JOIN sinks s ON s.id = r.sink_id ORDER BY r.position, r.id`,
    )
    .all() as Row[];
  return rows.map((r) => ({
    id: r.id,
    sink: r.name,
    sinkId: r.sink_id,
    sinkKind: r.kind as SinkKind,
    minSeverity: r.min_severity as Severity,
    tags: JSON.parse(r.tags) as string[],
    tactics: JSON.parse(r.tactics) as string[],
    hunts: JSON.parse(r.hunts) as string[],
  }));
}

/** Replaces every route at once (the UI edits the list as a whole). */
export function setRoutes(db: Db, input: RouteInput[]): Route[] {
  const parsed = input.map((r, i) => {
    const p = routeInputSchema.safeParse(r);
    if (!p.success) throw new QuarryError('invalid_input', `route ${i + 1}: ${p.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return { ...p.data, sinkId: getSink(db, p.data.sink).id };
  });
  db.transaction(() => {
    db.prepare('DELETE FROM finding_routes').run();
    const insert = db.prepare('INSERT INTO finding_routes (position, sink_id, min_severity, tags, tactics, hunts) VALUES (?, ?, ?, ?, ?, ?)');
    parsed.forEach((r, i) => insert.run(i, r.sinkId, r.minSeverity, JSON.stringify(r.tags), JSON.stringify(r.tactics), JSON.stringify(r.hunts)));
  })();
  return listRoutes(db);
}

/** Tactics compare without case or spaces: Sentinel writes "InitialAccess", people write "Initial Access". */
const tacticKey = (t: string): string => t.replace(/[\s_-]+/g, '').toLowerCase();
const overlaps = (wanted: string[], have: string[], key: (s: string) => string): boolean =>
  wanted.length === 0 || wanted.some((w) => have.some((h) => key(h) === key(w)));

export function routeMatches(route: Route, f: Pick<Finding, 'severity' | 'tags' | 'tactics' | 'huntId' | 'huntName'>): boolean {
  return (
    severityRank(f.severity) >= severityRank(route.minSeverity) &&
    overlaps(route.tags, f.tags, (s) => s.toLowerCase()) &&
    overlaps(route.tactics, f.tactics, tacticKey) &&
    (route.hunts.length === 0 || route.hunts.includes(f.huntId) || route.hunts.includes(f.huntName))
  );
}

/** The sinks (ids) a finding is routed to. */
export function routedSinks(db: Db, f: Pick<Finding, 'severity' | 'tags' | 'tactics' | 'huntId' | 'huntName'>): string[] {
  return [...new Set(listRoutes(db).filter((r) => routeMatches(r, f)).map((r) => r.sinkId))];
}
