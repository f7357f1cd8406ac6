import type { ConnectionKind } from '../../../engine/types.js';

/**
 * The add-connection form for each kind: its settings (stored in SQLite,
 * shown on the connection's page and changed with Edit) and its secrets (to
 * the OS keychain, never shown again). Mirrors the settings schemas in connectors/sources/{log-analytics,
 * sql-server}/settings.ts; the engine validates everything again, and
 * test/unit/connections/connection-forms.test.ts checks the two agree.
 */

export type FormValues = Record<string, string | boolean | undefined>;

/** Shown only while another setting has one of these values (the auth method decides the sign-in fields). */
export interface Condition {
  setting: string;
  values: string[];
}

export interface ConnectionField {
  key: string;
  label: string;
  type: 'text' | 'integer' | 'list' | 'checkbox' | 'select';
  placeholder?: string;
  hint?: string;
  required?: boolean;
  options?: Array<{ value: string; label: string }>;
  /** Initial value: the engine's default, so the form shows what will be stored. */
  initial?: string | boolean;
  /** A number of seconds in the form, stored as milliseconds. */
  secondsToMs?: boolean;
  advanced?: boolean;
  when?: Condition;
}

export interface ConnectionSecretSpec {
  key: string;
  label: string;
  when?: Condition;
}

export interface ConnectionKindForm {
  kind: ConnectionKind;
  label: string;
  /** One line in the kind picker: what this kind is for. */
  blurb: string;
  language: string;
  namePlaceholder: string;
  fields: ConnectionField[];
  secrets: ConnectionSecretSpec[];
}

const laAuth = (...values: string[]): Condition => ({ setting: 'auth', values });
const sqlAuth = (...values: string[]): Condition => ({ setting: 'authentication', values });

export const connectionKindForms: ConnectionKindForm[] = [
  {
    kind: 'log-analytics',
    label: 'Azure Log Analytics',
    blurb: 'KQL hunts against a Sentinel / Log Analytics workspace',
    language: 'KQL',
    namePlaceholder: 'sentinel-prod',
    fields: [
      { key: 'workspaceId', label: 'Workspace id', type: 'text', required: true, placeholder: '00000000-0000-0000-0000-000000000000' },
      { key: 'additionalWorkspaces', label: 'Additional workspaces', type: 'list', placeholder: 'ids, comma separated', hint: 'Queried together with the workspace above.' },
      {
        key: 'auth',
        label: 'Sign-in method',
        type: 'select',
        initial: 'client-secret',
        options: [
          { value: 'client-secret', label: 'Service principal (client secret)' },
          { value: 'device-code', label: 'Device code (sign in as yourself)' },
          // @azure/identity launches the browser itself, which the app does not allow (README, Connections).
          { value: 'interactive-browser', label: 'Interactive browser (quarry CLI only)' },
        ],
      },
      { key: 'tenantId', label: 'Tenant', type: 'text', required: true, placeholder: 'contoso.onmicrosoft.com or tenant id' },
      {
        key: 'clientId',
        label: 'Application (client) id',
        type: 'text',
        required: true,
        placeholder: '00000000-0000-0000-0000-000000000000',
        hint: 'The app registration you sign in through.',
      },
      { key: 'endpoint', label: 'Query endpoint', type: 'text', advanced: true, placeholder: 'https://api.loganalytics.io', hint: 'Change for sovereign clouds.' },
      { key: 'authorityHost', label: 'Authority host', type: 'text', advanced: true, placeholder: 'https://login.microsoftonline.com' },
      { key: 'redirectUri', label: 'Redirect URI', type: 'text', advanced: true, placeholder: 'http://localhost', when: laAuth('interactive-browser') },
      { key: 'serverTimeoutSeconds', label: 'Server timeout (seconds)', type: 'integer', advanced: true, placeholder: 'service default', hint: 'Sent as Prefer: wait=N; at most 600.' },
    ],
    secrets: [{ key: 'clientSecret', label: 'Client secret', when: laAuth('client-secret') }],
  },
  {
    kind: 'sql-server',
    label: 'SQL Server',
    blurb: 'T-SQL hunts against an on-premises SQL Server',
    language: 'T-SQL',
    namePlaceholder: 'onprem-sql',
    fields: [
      { key: 'server', label: 'Server', type: 'text', required: true, placeholder: 'sql01.corp.example', hint: 'Host name or address only.' },
      { key: 'port', label: 'Port', type: 'integer', placeholder: '1433' },
      { key: 'instanceName', label: 'Instance', type: 'text', placeholder: 'named instance (optional)' },
      { key: 'database', label: 'Database', type: 'text', placeholder: 'login default' },
      { key: 'encrypt', label: 'Encrypt (TLS)', type: 'checkbox', initial: true },
      { key: 'trustServerCertificate', label: 'Trust the server certificate', type: 'checkbox', initial: false, hint: 'Only for a self-signed certificate you trust.' },
      {
        key: 'authentication',
        label: 'Authentication',
        type: 'select',
        initial: 'sql',
        options: [
          { value: 'sql', label: 'SQL login' },
          { value: 'ntlm', label: 'Windows (NTLM)' },
          { value: 'entra-service-principal', label: 'Entra ID service principal' },
        ],
      },
      { key: 'user', label: 'Login', type: 'text', required: true, when: sqlAuth('sql') },
      { key: 'user', label: 'Windows user', type: 'text', required: true, when: sqlAuth('ntlm') },
      { key: 'domain', label: 'Domain', type: 'text', required: true, placeholder: 'CORP', when: sqlAuth('ntlm') },
      { key: 'tenantId', label: 'Tenant', type: 'text', required: true, when: sqlAuth('entra-service-principal') },
      { key: 'clientId', label: 'Application (client) id', type: 'text', required: true, when: sqlAuth('entra-service-principal') },
      { key: 'connectTimeoutMs', label: 'Connect timeout (seconds)', type: 'integer', advanced: true, placeholder: '15', secondsToMs: true },
      { key: 'requestTimeoutMs', label: 'Query timeout (seconds)', type: 'integer', advanced: true, placeholder: '300', secondsToMs: true },
    ],
    secrets: [
      { key: 'password', label: 'Password', when: sqlAuth('sql', 'ntlm') },
      { key: 'clientSecret', label: 'Client secret', when: sqlAuth('entra-service-principal') },
    ],
  },
  {
    kind: 'local',
    label: 'Local logs',
    blurb: 'SQL hunts over log files you import, offline',
    language: 'SQL',
    namePlaceholder: 'case-4711',
    fields: [],
    secrets: [],
  },
];

export const formFor = (kind: ConnectionKind): ConnectionKindForm | undefined => connectionKindForms.find((f) => f.kind === kind);

/** The values a fresh form starts with: the engine's defaults for selects and checkboxes. */
export function initialValues(form: ConnectionKindForm): FormValues {
  return Object.fromEntries(form.fields.filter((f) => f.initial !== undefined).map((f) => [f.key, f.initial]));
}

const applies = (when: Condition | undefined, form: ConnectionKindForm, values: FormValues): boolean => {
  if (!when) return true;
  const current = values[when.setting] ?? form.fields.find((f) => f.key === when.setting)?.initial;
  return typeof current === 'string' && when.values.includes(current);
};

/** The fields the chosen options need (only the chosen sign-in method's), in form order. */
export const visibleFields = (form: ConnectionKindForm, values: FormValues): ConnectionField[] => form.fields.filter((f) => applies(f.when, form, values));

/** The secrets the chosen sign-in method needs. */
export const neededSecrets = (form: ConnectionKindForm, values: FormValues): ConnectionSecretSpec[] => form.secrets.filter((s) => applies(s.when, form, values));

/**
 * The settings object for connections.add: only visible fields, empty ones
 * left out (the engine's defaults apply), lists split on commas and spaces.
 * A number that does not parse is passed as typed, so the engine's message
 * names it.
 */
export function settingsOf(form: ConnectionKindForm, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of visibleFields(form, values)) {
    const v = values[f.key];
    if (f.type === 'checkbox') {
      if (typeof v === 'boolean') out[f.key] = v;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (!text) continue;
    if (f.type === 'list') out[f.key] = text.split(/[\s,;]+/).filter(Boolean);
    else if (f.type === 'integer' && f.secondsToMs) out[f.key] = /^\d+(\.\d+)?$/.test(text) ? Math.round(Number(text) * 1000) : text;
    else if (f.type === 'integer') out[f.key] = /^\d+$/.test(text) ? Number(text) : text;
    else out[f.key] = text;
  }
  return out;
}

/** A stored connection's settings as form values, for the Edit dialog: the reverse of settingsOf. */
export function valuesOf(form: ConnectionKindForm, settings: Record<string, unknown>): FormValues {
  const values = initialValues(form);
  for (const f of form.fields) {
    const v = settings[f.key];
    if (v === undefined || v === null) continue;
    if (f.type === 'checkbox') values[f.key] = v === true;
    else if (Array.isArray(v)) values[f.key] = v.join(', ');
    else if (typeof v === 'number' && f.secondsToMs) values[f.key] = String(v / 1000);
    else values[f.key] = typeof v === 'string' ? v : String(v);
  }
  return values;
}

/**
 * What connections.update gets from the Edit dialog: the form's settings, and
 * every setting the form knows that is stored but now empty or hidden (another
 * sign-in method's) to unset. Settings no form asks for (audience, a local
 * file) are left as they are.
 */
export function settingsChange(form: ConnectionKindForm, stored: Record<string, unknown>, values: FormValues): { settings: Record<string, unknown>; unset: string[] } {
  const settings = settingsOf(form, values);
  const unset = [...new Set(form.fields.map((f) => f.key))].filter((k) => !(k in settings) && stored[k] !== undefined);
  return { settings, unset };
}

/**
 * Splits an engine validation message ("invalid settings for ... "x": port: Expected number; user: user is required")
 * into per-field messages for the fields the form has; the whole message is shown too.
 */
export function fieldErrors(message: string, form: ConnectionKindForm): Record<string, string> {
  const keys = new Set(['name', ...form.fields.map((f) => f.key)]);
  const out: Record<string, string> = {};
  if (/^(invalid connection name|a connection named)/.test(message)) return { name: message };
  // "invalid settings for <kind> connection "<name>": ..." or "connections.add: ..." before the issues.
  const body = message.replace(/^[^:"]*"[^"]*":\s*/, '').replace(/^connections\.(add|update):\s*/, '');
  for (const part of body.split(/;\s*/)) {
    const m = /^([A-Za-z][\w.]*):\s*(.+)$/.exec(part);
    const key = m?.[1]?.split('.')[0];
    if (m && key && keys.has(key)) out[key] = out[key] ? `${out[key]}; ${m[2]}` : m[2]!;
  }
  return out;
}

/** Stored settings no form asks for. */
const otherLabels: Record<string, string> = { file: 'Database file', audience: 'Token audience', requestTimeoutMs: 'Request timeout (ms)' };

/** A connection's stored settings as the detail pane shows them: in form order, with the form's labels and values in words. */
export function describeSettings(kind: ConnectionKind, settings: Record<string, unknown>): Array<{ key: string; label: string; value: string }> {
  const form = formFor(kind);
  const fields = form ? visibleFields(form, settings as FormValues) : [];
  const keys = [...new Set([...fields.map((f) => f.key), ...Object.keys(settings)])].filter((k) => settings[k] !== undefined && settings[k] !== null && settings[k] !== '');
  return keys.map((key) => {
    const value = settings[key];
    const field = fields.find((f) => f.key === key);
    const label = field ? field.label.replace(' (seconds)', '') : (otherLabels[key] ?? key);
    const option = field?.options?.find((o) => o.value === value);
    if (option) return { key, label, value: option.label };
    if (typeof value === 'boolean') return { key, label, value: value ? 'Yes' : 'No' };
    if (Array.isArray(value)) return { key, label, value: value.length ? value.join(', ') : '—' };
    if (typeof value === 'number' && field?.secondsToMs) return { key, label, value: `${value / 1000} s` };
    if (typeof value === 'number' && key === 'serverTimeoutSeconds') return { key, label, value: `${value} s` };
    return { key, label, value: typeof value === 'string' ? value : JSON.stringify(value) };
  });
}

/** What each secret field is, in words. */
export function secretLabel(kind: ConnectionKind, field: string): string {
  return formFor(kind)?.secrets.find((s) => s.key === field)?.label ?? field;
}

export const kindLabel = (kind: string): string => formFor(kind as ConnectionKind)?.label ?? kind;
