/** What the server learns from a LOGIN7 message (MS-TDS 2.2.6.4). */
export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  /** Windows (SSPI/NTLM) sign-in: the password fields are empty and an SSPI blob is sent instead. */
  integratedSecurity: boolean;
  /** The client asked for Entra ID (federated) authentication in its FeatureExt block. */
  fedAuth: boolean;
}

const OPTION_FLAGS2_INTEGRATED_SECURITY = 0x80;
const OPTION_FLAGS3_EXTENSION = 0x10;
const FEATURE_FEDAUTH = 0x02;
const FEATURE_TERMINATOR = 0xff;

/**
 * Undoes the LOGIN7 password obfuscation: the client swapped the nibbles of
 * every byte and XORed it with 0xA5, so XOR first, then swap back.
 */
export function deobfuscatePassword(bytes: Buffer): string {
  const plain = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i]! ^ 0xa5;
    plain[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return plain.toString('utf16le');
}

export function parseLogin7(payload: Buffer): Login7 {
  if (payload.length < 94) throw new Error(`LOGIN7 is ${payload.length} bytes, shorter than its fixed part`);
  // The variable-length fields are (offset, character count) pairs from byte 36 on, offsets from the start of LOGIN7.
  const text = (at: number): string => {
    const offset = payload.readUInt16LE(at);
    const chars = payload.readUInt16LE(at + 2);
    return payload.toString('utf16le', offset, offset + chars * 2);
  };
  const passwordOffset = payload.readUInt16LE(44);
  const passwordChars = payload.readUInt16LE(46);
  const optionFlags2 = payload[25]!;
  const optionFlags3 = payload[27]!;
  return {
    tdsVersion: payload.readUInt32LE(4),
    packetSize: payload.readUInt32LE(8),
    hostName: text(36),
    userName: text(40),
    password: deobfuscatePassword(payload.subarray(passwordOffset, passwordOffset + passwordChars * 2)),
    appName: text(48),
    serverName: text(52),
    libraryName: text(60),
    language: text(64),
    database: text(68),
    integratedSecurity: (optionFlags2 & OPTION_FLAGS2_INTEGRATED_SECURITY) !== 0,
    fedAuth: (optionFlags3 & OPTION_FLAGS3_EXTENSION) !== 0 && asksForFedAuth(payload),
  };
}

/** Walks the FeatureExt list that ibExtension points at (TDS 7.4) looking for FEDAUTH. */
function asksForFedAuth(payload: Buffer): boolean {
  const extOffset = payload.readUInt16LE(56);
  const extLength = payload.readUInt16LE(58);
  if (extLength < 4 || extOffset + 4 > payload.length) return false;
  let at = payload.readUInt32LE(extOffset);
  while (at < payload.length && payload[at] !== FEATURE_TERMINATOR) {
    if (payload[at] === FEATURE_FEDAUTH) return true;
    if (at + 5 > payload.length) return false;
    at += 5 + payload.readUInt32LE(at + 1);
  }
  return false;
}
