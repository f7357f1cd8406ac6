import { describe, expect, it } from 'vitest';
import { ApiCallError, createPortClient, decodeBridgeError } from '../../../engine/transport/client-port.js';
import type { RequestMessage } from '../../../engine/transport/protocol.js';

/** What Electron's contextBridge does to a rejection: only the message survives, in a new Error. */
const acrossContextBridge = (err: unknown): Error => new Error((err as Error).message);

function failingClient(codeInMessage: boolean) {
  const sent: RequestMessage[] = [];
  const client = createPortClient((m) => sent.push(m), { codeInMessage });
  const call = (client.api.hunts as Record<string, (a: unknown) => Promise<unknown>>).get!({ hunt: 'x' });
  client.receive({ id: sent[0]!.id, ok: false, error: { code: 'not_found', message: 'hunt not found: x' } });
  return call;
}

describe('API errors across the contextBridge', () => {
  it('keep their engine code when the preload encodes it in the message', async () => {
    const err = acrossContextBridge(await failingClient(true).catch((e: unknown) => e));
    expect(decodeBridgeError(err)).toEqual({ code: 'not_found', message: 'hunt not found: x' });
  });

  it('would lose it as an ApiCallError (why the preload encodes)', async () => {
    const raw = await failingClient(false).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(ApiCallError);
    expect(decodeBridgeError(raw)).toEqual({ code: 'not_found', message: 'hunt not found: x' });
    expect(decodeBridgeError(acrossContextBridge(raw))).toEqual({ code: null, message: 'hunt not found: x' });
  });

  it('leaves other errors alone', () => {
    expect(decodeBridgeError(new Error('[not a code] text'))).toEqual({ code: null, message: '[not a code] text' });
    expect(decodeBridgeError('plain')).toEqual({ code: null, message: 'plain' });
  });
});
