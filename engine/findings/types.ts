import type { Severity } from '../types.js';
import type { DeliveryAction, SinkKind } from '../../connectors/sinks/types.js';

export const findingStatuses = ['new', 'acknowledged', 'closed'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

/** Threat-intel verdicts, least to most severe. */
export const verdictLevels = ['unknown', 'harmless', 'suspicious', 'malicious'] as const;
export type Verdict = (typeof verdictLevels)[number];

/** One entity value a finding is about: the result column it came from and, when mapped, its Sentinel entity type. */
export interface FindingEntity {
  column: string;
  value: string;
  entityType: string | null;
  identifier: string | null;
}

export interface Finding {
  id: number;
  /** hash(hunt id + sorted entity values): the same activity gets the same key on every run. */
  dedupKey: string;
  /** The key sinks know this finding by (ServiceNow correlation_id, Jira label, PagerDuty dedup_key). */
  correlationId: string;
  huntId: string;
  huntName: string;
  title: string;
  /** The hunt's severity, raised by threat-intel verdicts. */
  severity: Severity;
  huntSeverity: Severity;
  verdict: Verdict | null;
  status: FindingStatus;
  entities: FindingEntity[];
  tactics: string[];
  techniques: string[];
  tags: string[];
  /** Runs that hit it. */
  hitCount: number;
  /** Result rows behind it, summed over those runs. */
  rowCount: number;
  runIds: number[];
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closeReason: string | null;
}

export interface FindingNote {
  id: number;
  text: string;
  createdAt: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: number;
  findingId: number;
  sinkId: string;
  sink: string;
  sinkKind: SinkKind;
  action: DeliveryAction;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** What the last successful attempt did ("created INC0010001"). */
  detail: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface ExternalTicket {
  sink: string;
  sinkKind: SinkKind;
  externalId: string;
  key: string | null;
  url: string | null;
}

export interface FindingDetail extends Finding {
  notes: FindingNote[];
  deliveries: Delivery[];
  tickets: ExternalTicket[];
}

export interface FindingFilter {
  status?: FindingStatus;
  huntId?: string;
  minSeverity?: Severity;
  limit?: number;
}

/**
 * Pushed as `finding.updated` when an open finding changes without being
 * created: a re-hit (count, last seen, maybe severity) or a threat-intel
 * verdict that arrived after the run. `previousSeverity` lets a listener tell
 * a finding newly raised to high from one that already was.
 */
export interface FindingUpdatedEvent extends Finding {
  previousSeverity: Severity;
  cause: 'rehit' | 'verdict';
}

/** Pushed as `delivery.status` whenever a delivery is attempted, delivered, dead-lettered or retried. */
export interface DeliveryStatusEvent extends Pick<Delivery, 'findingId' | 'sink' | 'sinkKind' | 'action' | 'state' | 'attempts' | 'nextAttemptAt'> {
  deliveryId: number;
  error: string | null;
}
