/** Column types of a stored result, named after the Kusto scalar types hunters know. */
export const columnTypes = ['string', 'int', 'long', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'guid', 'dynamic'] as const;
export type ColumnType = (typeof columnTypes)[number];

export interface ResultColumn {
  name: string;
  type: ColumnType;
}

/** A value as stored: booleans as 0/1, datetimes as ISO 8601 UTC text, dynamic as JSON text. */
export type StoredValue = string | number | bigint | Buffer | null;

export type QueryLanguage = 'kql' | 'tsql' | 'sql';
export type Severity = 'informational' | 'low' | 'medium' | 'high';
export const severities: readonly Severity[] = ['informational', 'low', 'medium', 'high'];

export type ParameterType = 'string' | 'int' | 'real' | 'bool' | 'datetime' | 'timespan';

export interface HuntParameter {
  name: string;
  type: ParameterType;
  default?: string | number | boolean | null;
  description?: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: Array<{ identifier: string; columnName: string }>;
}

export interface DataConnectorRequirement {
  connectorId: string;
  dataTypes: string[];
}

export interface Hunt {
  id: string;
  name: string;
  description: string;
  /** Name of the connection the hunt queries; null until the hunter picks one. */
  connection: string | null;
  language: QueryLanguage;
  query: string;
  parameters: HuntParameter[];
  tactics: string[];
  techniques: string[];
  entityMappings: EntityMapping[];
  requiredDataConnectors: DataConnectorRequirement[];
  severity: Severity;
  tags: string[];
  version: string;
  /** YAML fields Quarry does not interpret, kept so that export loses nothing. */
  extra: Record<string, unknown>;
  sourcePath: string | null;
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface Run {
  id: number;
  huntId: string | null;
  huntName: string;
  connection: string;
  language: QueryLanguage;
  query: string;
  parameters: Record<string, unknown>;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  rowCount: number;
  error: string | null;
  warnings: string[];
  windowStart: string | null;
  windowEnd: string | null;
}

export type ConnectionKind = 'local' | 'log-analytics' | 'sql-server';

export interface Connection {
  id: string;
  name: string;
  kind: ConnectionKind;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}
