import type https from 'node:https';
import { trustingAgent } from '../tls/index.js';
import { startEntraFake, type EntraFake } from './entra-fake.js';
import { startLogsFake, type LogsFake } from './log-analytics-fake.js';

export { oneApiError, rawNumber, type FakeAnswer, type FakeTable, type LogsFake, type LogsRequest } from './log-analytics-fake.js';
export type { EntraFake, IssuedToken } from './entra-fake.js';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '0d6a2b4e-5c1f-4e0b-9a7e-3f1e2d4c5b6a';
export const CLIENT_SECRET = 'Qry~fake.S3cret-value_thatMustNeverLeak';
export const WORKSPACE = 'b5c1e1a0-4c9e-4d43-9f0e-1c2b3a4d5e6f';
export const OTHER_WORKSPACE = 'e2d1c0b9-8a7f-4e6d-9c5b-4a3f2e1d0c9b';
export const FORBIDDEN_WORKSPACE = 'f0f0f0f0-0000-4000-8000-00000000dead';

export interface AzureFakes {
  entra: EntraFake;
  logs: LogsFake;
  /** Trusts the test CA; pass it as the source's `agent`. */
  agent: https.Agent;
  /** Settings of a connection pointed at the fakes. */
  settings(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

/** Entra ID and Log Analytics fakes on loopback, with one app that can read WORKSPACE and OTHER_WORKSPACE. */
export async function startAzureFakes(): Promise<AzureFakes> {
  const entra = await startEntraFake();
  const logs = await startLogsFake(entra);
  entra.addApp(TENANT, CLIENT_ID, CLIENT_SECRET);
  logs.grant(CLIENT_ID, [WORKSPACE, OTHER_WORKSPACE]);
  const agent = trustingAgent();
  return {
    entra,
    logs,
    agent,
    settings: (overrides = {}) => ({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      workspaceId: WORKSPACE,
      endpoint: logs.url,
      authorityHost: entra.url,
      ...overrides,
    }),
    async close() {
      agent.destroy();
      await Promise.all([logs.close(), entra.close()]);
    },
  };
}
