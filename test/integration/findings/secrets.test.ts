import { describe, expect, it } from 'vitest';
import { createWorld, SECRETS } from './world.js';

describe('sink secrets', () => {
  it('live only in the keychain: never in the database file, the API answers or error messages', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    const secrets = [
      SECRETS.snPassword, SECRETS.jiraToken, SECRETS.pdRoutingKey,
      w.slack.webhookUrl, new URL(w.slack.webhookUrl).pathname, w.teams.workflowUrl, 'T3amsW0rkfl0wS1gnatur3',
    ];

    // Failures whose messages could quote a webhook URL: a dropped connection and an error answer.
    w.slack.dropNext(1);
    w.teams.failNext({ status: 400, body: { error: { code: 'InvalidRequestContent', message: 'bad card' } } });
    await w.runSpray();
    await w.findings().worker.drain();
    const errors = (await w.api.deliveries.list()).map((d) => d.lastError).filter(Boolean);
    expect(errors).toEqual(expect.arrayContaining(['the Slack webhook: connection failed (UND_ERR_SOCKET)']));

    w.engine.db.pragma('wal_checkpoint(TRUNCATE)');
    const store = w.storeBytes().toString('latin1');
    const answers = JSON.stringify([await w.api.sinks.list(), await w.api.deliveries.list(), await w.api.routes.list(),
      ...(await Promise.all(w.findings().list().map((f) => w.api.findings.get({ id: f.id }))))]);
    for (const s of secrets) {
      expect(store.includes(s), `secret in the store: ${s}`).toBe(false);
      expect(answers.includes(s), `secret in an API answer: ${s}`).toBe(false);
    }

    // They are in the keychain, under "<sink-id>:<field>", and the API says which are set.
    const sinks = await w.api.sinks.list();
    const slack = sinks.find((s) => s.kind === 'slack')!;
    expect(await w.secrets.get(`${slack.id}:webhookUrl`)).toBe(w.slack.webhookUrl);
    expect(slack.secrets).toEqual([{ field: 'webhookUrl', set: true, required: true }]);
    expect(sinks.find((s) => s.kind === 'servicenow')!.secrets).toEqual([
      { field: 'password', set: true, required: true },
      { field: 'accessToken', set: false, required: false },
    ]);

    // Removing a sink removes its keychain entries too.
    expect(await w.api.sinks.remove({ sink: 'soc-slack' })).toEqual({ name: 'soc-slack', secretsDeleted: 1 });
    expect(await w.secrets.accounts(`${slack.id}:`)).toEqual([]);
  });

  it('refuses a secret smuggled in as a setting, and a sink without its secret', async () => {
    const w = await createWorld();
    await expect(w.api.sinks.add({ kind: 'jira', name: 'j', settings: { baseUrl: w.jira.url, email: 'a@b.c', projectKey: 'SEC', apiToken: 'tok-123456' }, secrets: { apiToken: 'x' } }))
      .rejects.toThrow(/Unrecognized key\(s\) in object: 'apiToken'/);
    await expect(w.api.sinks.add({ kind: 'slack', name: 's', settings: {}, secrets: {} })).rejects.toThrow('Slack sink "s" needs webhookUrl');
    await expect(w.api.sinks.add({ kind: 'servicenow', name: 'sn', settings: { instanceUrl: 'http://sn.example.com', username: 'u' }, secrets: { password: 'p' } }))
      .rejects.toThrow(/instanceUrl: must be an https:\/\/ URL/);
    await expect(w.api.sinks.add({ kind: 'slack', name: 's2', settings: { titleTemplate: '{{hunt}} {{sevrity}}' }, secrets: { webhookUrl: 'https://hooks.slack.com/services/x' } }))
      .rejects.toThrow('titleTemplate: unknown placeholder {{sevrity}}');
    expect(await w.api.sinks.list()).toEqual([]);
    expect(await w.secrets.accounts('')).toEqual([]);
  });

  it('a sink test checks credentials without creating anything, and --send posts a visible test', async () => {
    const w = await createWorld();
    await w.addAllSinks();
    await expect(w.api.sinks.test({ sink: 'snow' })).resolves.toMatchObject({ detail: expect.stringContaining('incident table is readable') });
    await expect(w.api.sinks.test({ sink: 'jira' })).resolves.toMatchObject({ detail: 'signed in as Quarry Hunter; project SEC (Security) is visible' });
    await expect(w.api.sinks.test({ sink: 'pager', send: true })).resolves.toMatchObject({ detail: expect.stringMatching(/^triggered and resolved test alert quarry-test-/) });
    expect(w.pd.alerts.map((a) => a.status)).toEqual(['resolved']);
    await w.api.sinks.test({ sink: 'soc-slack', send: true });
    await w.api.sinks.test({ sink: 'soc-teams', send: true });
    expect(w.slack.messages).toHaveLength(1);
    expect(w.teams.posts).toHaveLength(1);
    expect(w.sn.incidents).toHaveLength(0);
    w.jira.failNext({ status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} } });
    await expect(w.api.sinks.test({ sink: 'jira' })).rejects.toThrow('sink "jira": Jira answered 401: Client must be authenticated to access this resource.');
  });
});
