import type { SinkContext, SinkDriver, SinkKind, SinkKindSpec } from './types.js';
import { serviceNowSink } from './servicenow/servicenow.js';
import { jiraSink } from './jira/jira.js';
import { pagerDutySink } from './pagerduty/pagerduty.js';
import { slackSink } from './slack/slack.js';
import { teamsSink } from './teams/teams.js';

/** A sink kind with its settings type erased, so the engine can hold every kind in one table. */
export interface SinkKindEntry {
  kind: SinkKind;
  label: string;
  /** Validated settings with defaults filled in; throws with one line per problem (names, never values). */
  parseSettings(input: unknown): Record<string, unknown>;
  secretFields: readonly string[];
  requiredSecrets(settings: Record<string, unknown>): string[];
  ticketing: boolean;
  open(ctx: SinkContext<Record<string, unknown>>): SinkDriver;
}

function entry<S>(spec: SinkKindSpec<S>): SinkKindEntry {
  return {
    kind: spec.kind,
    label: spec.label,
    parseSettings(input) {
      const parsed = spec.settingsSchema.safeParse(input);
      if (parsed.success) return parsed.data as Record<string, unknown>;
      throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
    },
    secretFields: spec.secretFields,
    requiredSecrets: (settings) => spec.requiredSecrets(settings as S),
    ticketing: spec.ticketing,
    open: (ctx) => spec.open(ctx as unknown as SinkContext<S>),
  };
}

/** Every kind of sink this build can deliver findings to. */
export const sinkKindEntries: Record<SinkKind, SinkKindEntry> = {
  servicenow: entry(serviceNowSink),
  jira: entry(jiraSink),
  pagerduty: entry(pagerDutySink),
  slack: entry(slackSink),
  teams: entry(teamsSink),
};

export { sinkKinds, type SinkKind, type SinkKindSpec, type SinkDriver, type FindingMessage, type DeliveryAction, type TicketRef } from './types.js';
export { SinkError } from './common.js';
