import { describe, expect, it } from 'vitest';
import { logAnalyticsKind, sqlServerKind } from '../../../engine/connections/kinds.js';
import {
  connectionKindForms,
  describeSettings,
  fieldErrors,
  formFor,
  initialValues,
  neededSecrets,
  settingsChange,
  settingsOf,
  valuesOf,
  visibleFields,
  type ConnectionKindForm,
  type FormValues,
} from '../../../renderer/src/connections/connection-forms.js';

/** The add-connection form mirrors the engine's settings schemas; these tests keep the two in step. */

const specs = { 'log-analytics': logAnalyticsKind, 'sql-server': sqlServerKind };

/** A plausible value for every text field the forms have. */
const sample: Record<string, string> = {
  workspaceId: '11111111-2222-3333-4444-555555555555',
  additionalWorkspaces: 'aaaa, bbbb',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '99999999-8888-7777-6666-555555555555',
  endpoint: 'https://api.loganalytics.us',
  authorityHost: 'https://login.microsoftonline.us',
  redirectUri: 'http://localhost:8400',
  serverTimeoutSeconds: '120',
  server: 'sql01.corp.example',
  port: '1433',
  instanceName: 'HUNT',
  database: 'hunting',
  user: 'hunter',
  domain: 'CORP',
  connectTimeoutMs: '5',
  requestTimeoutMs: '60',
};

function filled(form: ConnectionKindForm, choice: FormValues): FormValues {
  const values: FormValues = { ...initialValues(form), ...choice };
  for (const f of visibleFields(form, values)) if (f.type !== 'checkbox' && f.type !== 'select') values[f.key] = sample[f.key];
  return values;
}

const authChoices = (form: ConnectionKindForm): Array<[string, string]> =>
  form.fields.filter((f) => f.type === 'select').flatMap((f) => (f.options ?? []).map((o) => [f.key, o.value] as [string, string]));

describe('add-connection forms', () => {
  for (const kind of ['log-analytics', 'sql-server'] as const) {
    const form = formFor(kind)!;
    for (const [key, value] of authChoices(form)) {
      it(`${kind} with ${key}=${value}: every field filled is accepted by the engine, and the secrets match what it requires`, () => {
        const values = filled(form, { [key]: value });
        const settings = specs[kind].parseSettings(settingsOf(form, values), 'x');
        expect(settings[key]).toBe(value);
        expect(neededSecrets(form, values).map((s) => s.key)).toEqual(specs[kind].requiredSecrets(settings));
        for (const s of neededSecrets(form, values)) expect(specs[kind].secretFields).toContain(s.key);
      });

      it(`${kind} with ${key}=${value}: only the required fields are enough`, () => {
        const values: FormValues = { ...initialValues(form), [key]: value };
        for (const f of visibleFields(form, values)) if (f.required) values[f.key] = sample[f.key];
        expect(() => specs[kind].parseSettings(settingsOf(form, values), 'x')).not.toThrow();
      });
    }
  }

  it('builds typed SQL Server settings: numbers, seconds as milliseconds, booleans, only the chosen sign-in fields', () => {
    const form = formFor('sql-server')!;
    const values: FormValues = { ...initialValues(form), server: ' 127.0.0.1 ', port: '14330', encrypt: false, user: 'hunter', domain: 'CORP', connectTimeoutMs: '5' };
    expect(settingsOf(form, values)).toEqual({ server: '127.0.0.1', port: 14330, encrypt: false, trustServerCertificate: false, authentication: 'sql', user: 'hunter', connectTimeoutMs: 5000 });
    expect(visibleFields(form, { ...values, authentication: 'ntlm' }).map((f) => f.key)).toContain('domain');
    expect(visibleFields(form, values).map((f) => f.key)).not.toContain('domain');
    expect(neededSecrets(form, { ...values, authentication: 'entra-service-principal' }).map((s) => s.key)).toEqual(['clientSecret']);
  });

  it('splits additional workspaces on commas, spaces and new lines', () => {
    const form = formFor('log-analytics')!;
    expect(settingsOf(form, { workspaceId: 'w', additionalWorkspaces: 'a, b\nc' }).additionalWorkspaces).toEqual(['a', 'b', 'c']);
  });

  it("puts the engine's validation messages next to the fields they name", () => {
    const form = formFor('sql-server')!;
    const engineMessage = (values: FormValues): string => {
      try {
        sqlServerKind.parseSettings(settingsOf(form, { ...initialValues(form), ...values }), 'x');
      } catch (err) {
        return `invalid settings for sql-server connection "x": ${(err as Error).message}`;
      }
      throw new Error('the engine accepted it');
    };
    expect(Object.keys(fieldErrors(engineMessage({ server: 'sql01', user: 'hunter', port: 'abc' }), form))).toEqual(['port']);
    const errors = fieldErrors(engineMessage({ server: 'sql01', authentication: 'ntlm', user: 'hunter' }), form);
    expect(Object.keys(errors)).toEqual(['domain']);
    expect(errors.domain).toContain('required for Windows (NTLM) sign-in');
    expect(fieldErrors('invalid connection name "a b": use letters, digits', form)).toEqual({ name: expect.stringContaining('invalid connection name') });
    expect(fieldErrors('connections.add: name: String must contain at least 1 character(s)', form)).toEqual({ name: expect.stringContaining('at least 1') });
  });

  it('describes stored settings in words, with the chosen sign-in method’s labels', () => {
    const stored = sqlServerKind.parseSettings({ server: 'sql01', authentication: 'ntlm', user: 'svc-hunt', domain: 'CORP', encrypt: true }, 'x');
    const shown = Object.fromEntries(describeSettings('sql-server', stored).map((s) => [s.label, s.value]));
    expect(shown).toMatchObject({ Server: 'sql01', Authentication: 'Windows (NTLM)', 'Windows user': 'svc-hunt', Domain: 'CORP', 'Encrypt (TLS)': 'Yes', 'Connect timeout': '15 s' });
  });

  /** What the engine stores after connections.update with the Edit dialog's change. */
  const applied = (kind: 'log-analytics' | 'sql-server', stored: Record<string, unknown>, change: { settings: Record<string, unknown>; unset: string[] }) =>
    specs[kind].parseSettings(Object.fromEntries(Object.entries({ ...stored, ...change.settings }).filter(([k]) => !change.unset.includes(k))), 'x');

  for (const kind of ['log-analytics', 'sql-server'] as const) {
    const form = formFor(kind)!;
    for (const [key, value] of authChoices(form)) {
      it(`${kind} with ${key}=${value}: the Edit dialog opens with the stored settings, and saving it unchanged changes nothing`, () => {
        const stored = specs[kind].parseSettings(settingsOf(form, filled(form, { [key]: value })), 'x');
        const values = valuesOf(form, stored);
        expect(values[key]).toBe(value);
        expect(applied(kind, stored, settingsChange(form, stored, values))).toEqual(stored);
      });
    }
  }

  it('Edit: another sign-in method drops the old one’s settings, an emptied field goes back to its default, others are kept', () => {
    const form = formFor('sql-server')!;
    const stored = { ...sqlServerKind.parseSettings({ server: 'sql01', authentication: 'ntlm', user: 'svc-hunt', domain: 'CORP', connectTimeoutMs: 5500, port: 14330 }, 'x') };
    const values = valuesOf(form, stored);
    expect(values).toMatchObject({ server: 'sql01', port: '14330', connectTimeoutMs: '5.5', requestTimeoutMs: '300', encrypt: true });
    const change = settingsChange(form, stored, { ...values, authentication: 'entra-service-principal', tenantId: 't', clientId: 'c', port: '' });
    expect(change.unset.sort()).toEqual(['domain', 'port', 'user']);
    expect(change.settings).toMatchObject({ connectTimeoutMs: 5500, authentication: 'entra-service-principal' });
    const after = applied('sql-server', stored, change);
    expect(after).toMatchObject({ server: 'sql01', authentication: 'entra-service-principal', tenantId: 't', clientId: 'c', connectTimeoutMs: 5500 });
    expect(after).not.toHaveProperty('user');
    expect(after).not.toHaveProperty('port');

    const la = formFor('log-analytics')!;
    const laStored = logAnalyticsKind.parseSettings({ tenantId: 't', clientId: 'c', workspaceId: 'w', additionalWorkspaces: ['a', 'b'], audience: 'https://api.loganalytics.io' }, 'x');
    expect(valuesOf(la, laStored).additionalWorkspaces).toBe('a, b');
    const laChange = settingsChange(la, laStored, { ...valuesOf(la, laStored), additionalWorkspaces: '' });
    expect(laChange.unset).toEqual(['additionalWorkspaces']);
    // Not in the form, so not touched.
    expect(applied('log-analytics', laStored, laChange)).toMatchObject({ additionalWorkspaces: [], audience: 'https://api.loganalytics.io' });
  });

  it('has a form for every kind the engine supports', () => {
    expect(connectionKindForms.map((f) => f.kind).sort()).toEqual(['local', 'log-analytics', 'sql-server']);
  });
});
