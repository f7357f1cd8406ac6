import type { ByteWriter } from './bytes.js';
import type { Login7 } from './login7.js';
import { Done, EnvChange, Token, writeDone, writeEnvChangeCollation, writeEnvChangeText, writeLoginAck, writeMessage } from './tokens.js';
import { DEFAULT_COLLATION } from './type-encoders.js';
import { DEFAULT_PACKET_SIZE } from './packets.js';

/** TDS 7.4, what SQL Server 2012 and later answer to a 7.4 client. */
export const TDS_7_4 = 0x74000004;

export interface LoginPolicy {
  logins: Record<string, string>;
  databases?: string[];
  packetSize?: number;
  serverName: string;
  version: { major: number; minor: number; build: number };
}

export type LoginOutcome = { ok: true; packetSize: number; database: string } | { ok: false; reason: string };

/**
 * Writes the whole LOGIN7 reply: on success LOGINACK with the ENVCHANGEs a
 * real server sends (database, collation, language, packet size) and DONE;
 * on failure the ERROR a real server sends and DONE with the error bit.
 */
export function writeLoginReply(w: ByteWriter, login: Login7, policy: LoginPolicy): LoginOutcome {
  const fail = (number: number, message: string, klass = 14, state = 1): LoginOutcome => {
    writeMessage(w, Token.ERROR, { number, state, class: klass, message, serverName: policy.serverName, line: 1 });
    writeDone(w, Token.DONE, Done.ERROR, 0);
    return { ok: false, reason: message };
  };
  if (login.integratedSecurity) {
    return fail(18452, 'Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.');
  }
  if (login.fedAuth) {
    return fail(18456, 'Login failed for user \'<token-identified principal>\'. This test server does not accept Entra ID tokens.');
  }
  const expected = Object.hasOwn(policy.logins, login.userName) ? policy.logins[login.userName] : undefined;
  if (expected === undefined || expected !== login.password) {
    // State 8 is "password mismatch" in the server log; clients only ever see the message.
    return fail(18456, `Login failed for user '${login.userName}'.`, 14, 1);
  }
  const database = login.database || 'master';
  if (policy.databases && !policy.databases.some((d) => d.toLowerCase() === database.toLowerCase())) {
    return fail(4060, `Cannot open database "${database}" requested by the login. The login failed.`, 11);
  }
  const packetSize = policy.packetSize ?? Math.min(32_767, Math.max(512, login.packetSize || DEFAULT_PACKET_SIZE));
  writeEnvChangeText(w, EnvChange.DATABASE, database, 'master');
  writeMessage(w, Token.INFO, { number: 5701, state: 2, class: 0, message: `Changed database context to '${database}'.`, serverName: policy.serverName, line: 1 });
  writeEnvChangeCollation(w, DEFAULT_COLLATION);
  writeEnvChangeText(w, EnvChange.LANGUAGE, 'us_english', '');
  writeMessage(w, Token.INFO, { number: 5703, state: 1, class: 0, message: 'Changed language setting to us_english.', serverName: policy.serverName, line: 1 });
  const v = policy.version;
  writeLoginAck(w, TDS_7_4, 'Microsoft SQL Server', [v.major, v.minor, v.build >> 8, v.build & 0xff]);
  writeEnvChangeText(w, EnvChange.PACKET_SIZE, String(packetSize), String(DEFAULT_PACKET_SIZE));
  writeDone(w, Token.DONE, Done.FINAL, 0);
  return { ok: true, packetSize, database };
}
