import type { z } from 'zod';
import type { HttpClient } from '../http/http-client.js';

/**
 * The contract between the engine's outbox and one external system a finding
 * is delivered to. A driver is built per delivery from the sink's settings
 * and reads its secrets from the keychain only when it needs them.
 */

export const sinkKinds = ['servicenow', 'jira', 'pagerduty', 'slack', 'teams'] as const;
export type SinkKind = (typeof sinkKinds)[number];

/** What happened to the finding that this delivery reports. */
export type DeliveryAction = 'create' | 'update' | 'acknowledge' | 'resolve';

export type FindingSeverity = 'informational' | 'low' | 'medium' | 'high';

/** The finding as a sink sees it: templates already rendered, structured fields for cards and ticket fields. */
export interface FindingMessage {
  findingId: number;
  /** Stable per finding; ServiceNow correlation_id, Jira label, PagerDuty dedup_key. */
  correlationId: string;
  dedupKey: string;
  title: string;
  description: string;
  severity: FindingSeverity;
  status: 'new' | 'acknowledged' | 'closed';
  hunt: string;
  entities: Array<{ name: string; value: string }>;
  /** How many runs hit it. */
  count: number;
  rows: number;
  firstSeen: string;
  lastSeen: string;
  verdict: string | null;
  tactics: string[];
  techniques: string[];
  reportLink: string;
  /** Why it was closed (close notes), for resolve. */
  closeNotes: string | null;
}

/** The record a ticketing sink made for a finding. */
export interface TicketRef {
  /** ServiceNow sys_id, Jira issue id, PagerDuty dedup_key. */
  externalId: string;
  /** Human key: INC0010001, SEC-12. */
  key: string | null;
  url: string | null;
}

export interface DeliveryRequest {
  action: DeliveryAction;
  finding: FindingMessage;
  /** The ticket an earlier delivery recorded; null when none was recorded (never made, or lost in a crash). */
  ticket: TicketRef | null;
}

export interface DeliveryResult {
  /** The ticket this delivery made or found (ticketing sinks). */
  ticket: TicketRef | null;
  /** One line for the deliveries list: "created INC0010001", "commented on SEC-3". */
  detail: string;
}

export interface SinkDriver {
  deliver(req: DeliveryRequest): Promise<DeliveryResult>;
  /** Checks settings and credentials; `send` also posts a visible test message or event. */
  test(opts: { send: boolean }): Promise<string>;
}

export interface SinkContext<S> {
  settings: S;
  http: HttpClient;
  /** Reads one of the sink's secrets from the keychain. */
  secret(field: string): Promise<string | null>;
}

export interface SinkKindSpec<S = Record<string, unknown>> {
  kind: SinkKind;
  label: string;
  /** Strict (unknown keys rejected) so that a secret cannot ride along as a setting. */
  settingsSchema: z.ZodType<S, z.ZodTypeDef, unknown>;
  secretFields: readonly string[];
  requiredSecrets(settings: S): string[];
  /** Ticketing sinks (lookup, acknowledge, resolve); chat sinks only post on create and re-hit. */
  ticketing: boolean;
  open(ctx: SinkContext<S>): SinkDriver;
}
