import { isJsonRequest, startLoopbackFake, type FakeReply, type LoopbackFake } from '../../findings/fake-http.js';

/**
 * A fake Slack incoming webhook: POST /services/T…/B…/<secret> with a JSON
 * message (`text` and/or Block Kit `blocks`). 200 "ok" on success; errors are
 * plain strings with their documented statuses: 400 invalid_payload /
 * invalid_blocks / no_text, 403 action_prohibited, 404 no_service, 410
 * channel_is_archived. Blocks are checked against Slack's limits.
 */

export interface SlackMessage {
  text: string | undefined;
  blocks: Array<Record<string, unknown>>;
}

export interface SlackFake extends LoopbackFake {
  /** The secret URL a sink is configured with. */
  readonly webhookUrl: string;
  readonly messages: SlackMessage[];
  /** While true, the channel is archived (410). */
  archived: boolean;
}

const text = (status: number, body: string): FakeReply => ({ status, body });
const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);

function textObject(t: unknown, max: number, plainOnly = false): boolean {
  const o = t as { type?: unknown; text?: unknown } | null;
  return !!o && TEXT_TYPES.has(o.type as string) && (!plainOnly || o.type === 'plain_text') && typeof o.text === 'string' && o.text.length > 0 && o.text.length <= max;
}

/** The subset of Block Kit a notification uses, with Slack's documented limits. */
export function blocksValid(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  return blocks.every((b: Record<string, unknown>) => {
    switch (b?.type) {
      case 'header': return textObject(b.text, 150, true);
      case 'section': {
        const fields = b.fields as unknown[] | undefined;
        if (b.text === undefined && fields === undefined) return false;
        if (b.text !== undefined && !textObject(b.text, 3000)) return false;
        return fields === undefined || (Array.isArray(fields) && fields.length <= 10 && fields.every((f) => textObject(f, 2000)));
      }
      case 'context': return Array.isArray(b.elements) && b.elements.length > 0 && b.elements.length <= 10 && b.elements.every((e) => textObject(e, 3000));
      case 'divider': return true;
      default: return false;
    }
  });
}

export async function startSlackFake(): Promise<SlackFake> {
  const path = '/services/T0QUARRY1/B0QUARRY2/sl4ckW3bh00kS3cr3tT0k3n';
  const messages: SlackMessage[] = [];
  const state = { archived: false };

  const fake = await startLoopbackFake((req) => {
    if (req.method !== 'POST') return text(405, 'invalid_method');
    if (req.path !== path) return text(404, 'no_service');
    if (state.archived) return text(410, 'channel_is_archived');
    if (!isJsonRequest(req) || typeof req.json !== 'object' || req.json === null) return text(400, 'invalid_payload');
    const msg = req.json as { text?: unknown; blocks?: unknown };
    if (msg.text === undefined && msg.blocks === undefined) return text(400, 'no_text');
    if (msg.text !== undefined && typeof msg.text !== 'string') return text(400, 'invalid_payload');
    if (msg.blocks !== undefined && !blocksValid(msg.blocks)) return text(400, 'invalid_blocks');
    messages.push({ text: msg.text as string | undefined, blocks: (msg.blocks ?? []) as Array<Record<string, unknown>> });
    return text(200, 'ok');
  });

  const result = Object.assign(fake, { webhookUrl: `${fake.url}${path}`, messages, archived: false });
  Object.defineProperty(result, 'archived', { get: () => state.archived, set: (v: boolean) => (state.archived = v) });
  return result;
}
