import type { SinkKind } from '../../../connectors/sinks/types';

/**
 * The add-sink form for each kind: its settings (stored in SQLite, shown) and
 * its secrets (to the OS keychain, never shown again). Mirrors the settings
 * schemas in connectors/sinks/*; the engine validates them again.
 */
export interface SettingField {
  key: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  options?: string[];
  list?: boolean;
  /** A template: several lines. */
  multiline?: boolean;
}
export interface SecretSpec {
  key: string;
  label: string;
  /** Required unless this setting has this value (ServiceNow's auth decides between password and token). */
  when?: { setting: string; value: string };
}
export interface SinkKindForm {
  kind: SinkKind;
  label: string;
  ticketing: boolean;
  settings: SettingField[];
  secrets: SecretSpec[];
}

/** Every sink's message templates (connectors/sinks/common.ts); the engine rejects an unknown placeholder. */
const templateFields: SettingField[] = [
  { key: 'titleTemplate', label: 'Title template', placeholder: '[Quarry] {{severity}}: {{hunt}}{{entitiesSuffix}}' },
  { key: 'reportLinkTemplate', label: 'Report link', placeholder: 'https://wiki.example/quarry/{{findingId}}' },
  {
    key: 'descriptionTemplate',
    label: 'Description template (placeholders: {{hunt}} {{severity}} {{entities}} {{count}} {{rows}} {{firstSeen}} {{lastSeen}} {{verdicts}} {{tactics}} {{techniques}} {{reportLink}} {{findingId}})',
    placeholder: 'Quarry finding {{findingId}} from the hunt "{{hunt}}"…',
    multiline: true,
  },
];

const kindForms: SinkKindForm[] = [
  {
    kind: 'servicenow',
    label: 'ServiceNow',
    ticketing: true,
    settings: [
      { key: 'instanceUrl', label: 'Instance URL', placeholder: 'https://contoso.service-now.com', required: true },
      { key: 'auth', label: 'Authentication', options: ['basic', 'oauth'] },
      { key: 'username', label: 'User name (basic auth)' },
      { key: 'table', label: 'Table', placeholder: 'incident' },
      { key: 'assignmentGroup', label: 'Assignment group' },
    ],
    secrets: [
      { key: 'password', label: 'Password', when: { setting: 'auth', value: 'basic' } },
      { key: 'accessToken', label: 'OAuth access token', when: { setting: 'auth', value: 'oauth' } },
    ],
  },
  {
    kind: 'jira',
    label: 'Jira Cloud',
    ticketing: true,
    settings: [
      { key: 'baseUrl', label: 'Site URL', placeholder: 'https://contoso.atlassian.net', required: true },
      { key: 'email', label: 'Account e-mail', required: true },
      { key: 'projectKey', label: 'Project key', placeholder: 'SEC', required: true },
      { key: 'issueType', label: 'Issue type', placeholder: 'Task' },
      { key: 'labels', label: 'Extra labels', placeholder: 'quarry, hunting', list: true },
      { key: 'ackTransitionId', label: 'Transition id on acknowledge', placeholder: 'none (comment only)' },
      { key: 'closeTransitionId', label: 'Transition id on close', placeholder: 'auto: the one into Done' },
    ],
    secrets: [{ key: 'apiToken', label: 'API token' }],
  },
  {
    kind: 'pagerduty',
    label: 'PagerDuty',
    ticketing: true,
    settings: [
      { key: 'source', label: 'Source', placeholder: 'quarry' },
      { key: 'component', label: 'Component' },
    ],
    secrets: [{ key: 'routingKey', label: 'Integration (routing) key' }],
  },
  {
    kind: 'slack',
    label: 'Slack',
    ticketing: false,
    settings: [{ key: 'channelLabel', label: 'Channel (for your reference)', placeholder: '#soc-hunting' }],
    secrets: [{ key: 'webhookUrl', label: 'Incoming webhook URL' }],
  },
  {
    kind: 'teams',
    label: 'Microsoft Teams',
    ticketing: false,
    settings: [
      { key: 'format', label: 'Card format', options: ['adaptive', 'messagecard'] },
      { key: 'channelLabel', label: 'Channel (for your reference)' },
    ],
    secrets: [{ key: 'webhookUrl', label: 'Workflows webhook URL' }],
  },
];

export const sinkKindForms: SinkKindForm[] = kindForms.map((f) => ({ ...f, settings: [...f.settings, ...templateFields] }));

/** The settings object for sinks.add: empty fields left out (defaults apply), lists split on commas. */
export function settingsOf(form: SinkKindForm, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.settings) {
    const v = values[f.key]?.trim();
    if (!v) continue;
    out[f.key] = f.list ? v.split(/[\s,]+/).filter(Boolean) : v;
  }
  return out;
}

export const secretNeeded = (s: SecretSpec, values: Record<string, string>, form: SinkKindForm): boolean => {
  if (!s.when) return true;
  const current = values[s.when.setting] || form.settings.find((f) => f.key === s.when!.setting)?.options?.[0];
  return current === s.when.value;
};
