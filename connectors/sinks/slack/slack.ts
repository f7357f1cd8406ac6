import { z } from 'zod';
import { SinkError, commonSinkSettings, isAllowedServiceUrl, requireSecret, sinkRequest } from '../common.js';
import { chatHeadline, findingFacts, isWebLink } from '../facts.js';
import type { DeliveryRequest, DeliveryResult, FindingMessage, SinkContext, SinkDriver, SinkKindSpec } from '../types.js';

/**
 * Slack through an incoming webhook: a Block Kit message (header, the
 * description, fields, a link to the report) with a plain `text` fallback
 * for notifications. The webhook URL is the credential, so it lives in the
 * keychain and never appears in a message. A webhook cannot be asked what it
 * already posted: a re-hit posts a new message saying so, and a retry after
 * an answer was lost may post a message twice (chat is at-least-once; the
 * ticketing sinks, which can be searched, are exactly-once).
 */

export const slackSettingsSchema = z
  .object({
    /** Only for the sinks list: which channel the webhook posts to. */
    channelLabel: z.string().min(1).max(80).optional(),
    ...commonSinkSettings,
  })
  .strict();

export type SlackSettings = z.output<typeof slackSettingsSchema>;

/** Slack's limits: header text 150 chars, section text 3000, a field 2000, at most 10 fields. */
const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** mrkdwn treats &, < and > as control characters. */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBlocks(f: FindingMessage, rehit: boolean): unknown[] {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(chatHeadline(f, rehit), 150), emoji: false } },
  ];
  if (f.description.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(esc(f.description), 3000) } });
  blocks.push({
    type: 'section',
    fields: findingFacts(f).slice(0, 10).map((x) => ({ type: 'mrkdwn', text: cut(`*${esc(x.name)}*\n${esc(x.value)}`, 2000) })),
  });
  if (isWebLink(f.reportLink)) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${f.reportLink}|Open the finding in Quarry>` }] });
  }
  return blocks;
}

export function openSlack(ctx: SinkContext<SlackSettings>): SinkDriver {
  const label = 'the Slack webhook';

  async function post(body: unknown): Promise<void> {
    const url = await requireSecret(ctx, 'webhookUrl', 'Slack');
    if (!isAllowedServiceUrl(url)) throw new SinkError('Slack: the stored webhook URL is not an https:// URL', true);
    const res = await sinkRequest(ctx, {
      label,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: ctx.settings.timeoutMs,
    });
    // Success is 200 with the body "ok"; anything else is an error string such as invalid_payload.
    if (res.text.trim() !== 'ok') throw new SinkError(`${label} answered ${res.status}: ${res.text.trim().slice(0, 100) || '(empty)'}`, true, res.status);
  }

  return {
    async deliver(req: DeliveryRequest): Promise<DeliveryResult> {
      if (req.action !== 'create' && req.action !== 'update') return { ticket: null, detail: 'nothing to post' };
      const rehit = req.action === 'update';
      await post({ text: chatHeadline(req.finding, rehit), blocks: slackBlocks(req.finding, rehit) });
      return { ticket: null, detail: rehit ? 'posted the re-hit' : 'posted' };
    },
    async test({ send }) {
      const url = await requireSecret(ctx, 'webhookUrl', 'Slack');
      if (!isAllowedServiceUrl(url)) throw new SinkError('Slack: the stored webhook URL is not an https:// URL', true);
      if (!send) return 'webhook URL is set (use --send to post a test message)';
      await post({ text: 'Quarry test message', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Quarry can post findings to this channel.' } }] });
      return 'posted a test message';
    },
  };
}

export const slackSink: SinkKindSpec<SlackSettings> = {
  kind: 'slack',
  label: 'Slack',
  settingsSchema: slackSettingsSchema,
  secretFields: ['webhookUrl'],
  requiredSecrets: () => ['webhookUrl'],
  ticketing: false,
  open: openSlack,
};
