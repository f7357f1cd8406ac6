import { afterEach, describe, expect, it } from 'vitest';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { DATABASE, PASSWORD, USER, collect, failure, fakeSource, seedNumbers, startFake } from './helpers.js';
import { RawTdsClient, encryptionOf, login7, preloginPayload, sqlBatch } from './raw-tds-client.js';

const servers: TdsTestServer[] = [];
async function fake(options: Parameters<typeof startFake>[0] = {}): Promise<TdsTestServer> {
  const s = await startFake(options);
  servers.push(s);
  return s;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('TLS to SQL Server', () => {
  it('encrypts the whole session when asked (encrypt + trustServerCertificate for the test certificate)', async () => {
    const server = await fake();
    seedNumbers(server, 'events', 20_000);
    // By name, as TLS clients should (the test certificate is for localhost).
    const source = fakeSource(server, { settings: { server: 'localhost', encrypt: true, trustServerCertificate: true } });
    try {
      expect(await source.test()).toContain('TLS requested');
      // Enough rows to span many TLS records and TDS packets.
      const out = await collect(source, 'SELECT id, name FROM events ORDER BY id');
      expect(out.rows).toHaveLength(20_000);
      expect(out.rows.at(-1)).toEqual([20_000, 'row-20000']);
    } finally {
      await source.close();
    }
    expect(server.stats.logins.length).toBeGreaterThan(0);
    expect(server.stats.logins.every((l) => l.ok && l.tls === 'full')).toBe(true);
  });

  it('refuses a certificate it cannot verify unless told to trust it', async () => {
    const server = await fake();
    const source = fakeSource(server, { settings: { server: 'localhost', encrypt: true, trustServerCertificate: false } });
    const err = await failure(source.test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain(`the TLS certificate of localhost:${server.port} is not trusted for connection "onprem-sql" (self-signed certificate)`);
    expect(server.stats.logins).toEqual([]);
  });

  it('says so when the server insists on encryption and the connection has it off', async () => {
    const server = await fake({ encryption: 'required' });
    const err = await failure(fakeSource(server).test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain(`SQL Server at 127.0.0.1:${server.port} requires an encrypted connection; set encrypt: true on connection "onprem-sql"`);
  });

  it('goes unencrypted with a server that has no certificate', async () => {
    const server = await fake({ encryption: 'not-supported' });
    const source = fakeSource(server, { settings: { encrypt: false } });
    try {
      expect((await collect(source, 'SELECT 7 AS n')).rows).toEqual([[7]]);
    } finally {
      await source.close();
    }
    expect(server.stats.logins.every((l) => l.tls === 'none')).toBe(true);
  });
});

describe('the TDS test server with login-only encryption (ENCRYPT_OFF)', () => {
  it('reads LOGIN7 through TLS, then answers and serves queries in plaintext', async () => {
    const server = await fake();
    const client = await RawTdsClient.connect(server.port);
    try {
      client.send(0x12, preloginPayload(0x00));
      expect(encryptionOf(await client.read())).toBe(0x00);
      const { tlsSocket } = await client.startTls();
      // LOGIN7 goes as a TDS packet inside TLS records straight on TCP.
      tlsSocket.write(RawTdsClient.packet(0x10, login7(USER, PASSWORD, DATABASE)));
      // The client drops TLS right after: from here on both sides talk plaintext.
      const loginReply = await client.read();
      expect(loginReply.includes(0xad)).toBe(true); // LOGINACK
      expect(loginReply.includes(Buffer.from('Microsoft SQL Server', 'utf16le'))).toBe(true);
      expect(server.stats.logins).toEqual([{ user: USER, database: DATABASE, appName: 'raw-tds-client', tls: 'login-only', packetSize: 4096, ok: true }]);
      client.send(0x01, sqlBatch('SELECT 42 AS answer'));
      const result = await client.read();
      expect(result[0]).toBe(0x81); // COLMETADATA
      expect(result.includes(Buffer.from('answer', 'utf16le'))).toBe(true);
      expect(server.stats.queries.map((q) => q.sql)).toEqual(['SELECT 42 AS answer']);
    } finally {
      client.close();
    }
  });

  it('answers a wrong password in plaintext with error 18456 and hangs up', async () => {
    const server = await fake();
    const client = await RawTdsClient.connect(server.port);
    try {
      client.send(0x12, preloginPayload(0x00));
      await client.read();
      const { tlsSocket } = await client.startTls();
      tlsSocket.write(RawTdsClient.packet(0x10, login7(USER, 'wrong', DATABASE)));
      const reply = await client.read();
      expect(reply[0]).toBe(0xaa); // ERROR
      expect(reply.includes(Buffer.from(`Login failed for user '${USER}'.`, 'utf16le'))).toBe(true);
      expect(reply.readUInt32LE(3)).toBe(18456);
    } finally {
      client.close();
    }
  });
});
