import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * TEST-ONLY TLS material for the loopback fakes (made by scripts/make-test-tls.sh;
 * the CA key was thrown away after signing). Clients trust it either through
 * `trustingAgent()` (passed to a source's `agent` option) or, for child
 * processes such as the CLI, with NODE_EXTRA_CA_CERTS=<caPath>.
 */
const dir = path.dirname(fileURLToPath(import.meta.url));

export const caPath = path.join(dir, 'ca.pem');
export const testTls = {
  ca: fs.readFileSync(caPath),
  cert: fs.readFileSync(path.join(dir, 'server.pem')),
  key: fs.readFileSync(path.join(dir, 'server-key.pem')),
};

/** An agent that trusts the test CA (only). keepAlive off so closing a fake never waits on idle sockets. */
export function trustingAgent(): https.Agent {
  return new https.Agent({ ca: testTls.ca, keepAlive: false });
}
