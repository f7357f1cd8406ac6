import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiSchemas } from '../../../engine/api.js';
import { QuarryError } from '../../../engine/errors.js';
import { PathGrants } from '../../../engine/transport/path-grants.js';
import { guardPaths, pathArguments } from '../../../engine/transport/path-guard.js';

function guarded() {
  const grants = new PathGrants();
  const dispatch = vi.fn(async (method: string) => `did ${method}`);
  return { grants, dispatch, call: guardPaths(dispatch, grants) };
}

const refusal = (call: Promise<unknown>) => call.then(() => null, (e: unknown) => e as QuarryError);

/** Names of schema fields that hold a file or folder path, found anywhere in an API method's arguments. */
function pathFields(schema: z.ZodTypeAny, at = ''): string[] {
  if (schema instanceof z.ZodObject) return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).flatMap(([k, v]) => [...(/^(path|paths|file|files|dir|folder)$/i.test(k) ? [at + k] : []), ...pathFields(v, `${at}${k}.`)]);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return pathFields(schema.unwrap() as z.ZodTypeAny, at);
  if (schema instanceof z.ZodDefault) return pathFields(schema.removeDefault() as z.ZodTypeAny, at);
  if (schema instanceof z.ZodEffects) return pathFields(schema.innerType() as z.ZodTypeAny, at);
  if (schema instanceof z.ZodArray) return pathFields(schema.element as z.ZodTypeAny, at);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodTypeAny[]).flatMap((o) => pathFields(o, at));
  return [];
}

describe('the window-side path check', () => {
  it('covers every API method whose arguments name a path', () => {
    const withPaths = Object.entries(apiSchemas).filter(([, s]) => pathFields(s as z.ZodTypeAny).length > 0).map(([m]) => m);
    expect(withPaths.length).toBeGreaterThanOrEqual(3); // logs.import, hunts.import, reports.export: the walk finds them
    for (const method of withPaths) expect(Object.keys(pathArguments)).toContain(method);
  });

  it('refuses logs.import of a file the user never picked, before the engine runs anything', async () => {
    const { dispatch, call } = guarded();
    const err = await refusal(call('logs.import', { file: '/home/h/.ssh/id_ed25519', table: 'keys' }));
    expect(err).toBeInstanceOf(QuarryError);
    expect(err).toMatchObject({ code: 'forbidden', message: expect.stringContaining('/home/h/.ssh/id_ed25519 was not chosen in a file dialog') });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('passes a picked file through, and again for a retry of the same import', async () => {
    const { grants, dispatch, call } = guarded();
    grants.grant('/home/h/logs.csv', 'read');
    await expect(call('logs.import', { file: '/home/h/logs.csv', table: 't' })).resolves.toBe('did logs.import');
    await expect(call('logs.import', { file: '/home/h/./logs.csv', table: 't' })).resolves.toBe('did logs.import');
    expect(dispatch).toHaveBeenCalledTimes(2);
  });

  it('lets an export write once to the path picked in the save dialog, and never to a file picked to read', async () => {
    const { grants, call } = guarded();
    grants.grant('/docs/in.html', 'read');
    expect(await refusal(call('reports.export', { target: { runId: 1 }, format: 'html', path: '/docs/in.html' }))).toMatchObject({ code: 'forbidden' });
    grants.grant('/docs/report.html', 'write');
    await expect(call('reports.export', { target: { runId: 1 }, format: 'html', path: '/docs/report.html' })).resolves.toBe('did reports.export');
    expect(await refusal(call('reports.export', { target: { runId: 1 }, format: 'html', path: '/docs/report.html' }))).toMatchObject({ code: 'forbidden' });
    // Text exports name no file and need no grant.
    await expect(call('reports.export', { target: { runId: 1 }, format: 'md' })).resolves.toBe('did reports.export');
  });

  it('uses up no grant when any path of a call is refused', async () => {
    const { grants, call } = guarded();
    grants.grant('/hunts/a.yaml', 'read');
    expect(await refusal(call('hunts.import', { paths: ['/hunts/a.yaml', '/etc'] }))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('/etc was not chosen') });
    await expect(call('hunts.import', { paths: ['/hunts/a.yaml'] })).resolves.toBe('did hunts.import');
  });

  it("refuses a local connection's database file set from a window, but not other settings", async () => {
    const { call } = guarded();
    expect(await refusal(call('connections.add', { kind: 'local', name: 'x', settings: { file: '/home/h/.mozilla/cookies.sqlite' } }))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(call('connections.update', { connection: 'x', settings: { file: '../../elsewhere.db' } }))).toMatchObject({ code: 'forbidden' });
    await expect(call('connections.add', { kind: 'local', name: 'x', settings: {} })).resolves.toBe('did connections.add');
    await expect(call('connections.update', { connection: 'x', settings: {}, unset: ['file'] })).resolves.toBe('did connections.update');
  });

  it('leaves methods without paths, and malformed arguments, to the dispatcher', async () => {
    const { dispatch, call } = guarded();
    await expect(call('hunts.list', undefined)).resolves.toBe('did hunts.list');
    await expect(call('logs.import', { table: 't' })).resolves.toBe('did logs.import'); // its schema refuses the missing file
    expect(await refusal(call('logs.import', { file: ['/etc/passwd'], table: 't' }))).toMatchObject({ code: 'invalid_input' });
    expect(dispatch).toHaveBeenCalledTimes(2);
  });
});
