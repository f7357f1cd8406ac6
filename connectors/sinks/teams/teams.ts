import { z } from 'zod';
import { SinkError, commonSinkSettings, isAllowedServiceUrl, requireSecret, sinkRequest } from '../common.js';
import { chatHeadline, findingFacts, isWebLink } from '../facts.js';
import type { DeliveryRequest, DeliveryResult, FindingMessage, FindingSeverity, SinkContext, SinkDriver, SinkKindSpec } from '../types.js';

/**
 * Microsoft Teams through a webhook. The default is a Workflows (Power
 * Automate) "post to a channel when a webhook request is received" URL, which
 * takes a message with an Adaptive Card attachment and answers 202 Accepted;
 * `format: messagecard` sends the legacy Office 365 connector MessageCard
 * instead. The webhook URL is the credential and lives in the keychain. Like
 * Slack, a webhook cannot be searched: re-hits post a new card, and a retry
 * after a lost answer may post one twice (at-least-once).
 */

export const teamsSettingsSchema = z
  .object({
    format: z.enum(['adaptive', 'messagecard']).default('adaptive'),
    channelLabel: z.string().min(1).max(80).optional(),
    ...commonSinkSettings,
  })
  .strict();

export type TeamsSettings = z.output<typeof teamsSettingsSchema>;

const accent: Record<FindingSeverity, { card: 'attention' | 'warning' | 'accent' | 'default'; hex: string }> = {
  high: { card: 'attention', hex: 'C4314B' },
  medium: { card: 'warning', hex: 'F8A800' },
  low: { card: 'accent', hex: '0078D7' },
  informational: { card: 'default', hex: '8A8886' },
};

export function adaptiveCardMessage(f: FindingMessage, rehit: boolean): unknown {
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: chatHeadline(f, rehit), weight: 'Bolder', size: 'Medium', wrap: true, color: accent[f.severity].card },
      ...(f.description.trim() ? [{ type: 'TextBlock', text: f.description, wrap: true }] : []),
      { type: 'FactSet', facts: findingFacts(f).map((x) => ({ title: x.name, value: x.value })) },
    ],
  };
  if (isWebLink(f.reportLink)) card.actions = [{ type: 'Action.OpenUrl', title: 'Open in Quarry', url: f.reportLink }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

export function messageCard(f: FindingMessage, rehit: boolean): unknown {
  const title = chatHeadline(f, rehit);
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: title.slice(0, 200),
    themeColor: accent[f.severity].hex,
    title,
    text: f.description,
    sections: [{ facts: findingFacts(f) }],
    ...(isWebLink(f.reportLink)
      ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open in Quarry', targets: [{ os: 'default', uri: f.reportLink }] }] }
      : {}),
  };
}

export function openTeams(ctx: SinkContext<TeamsSettings>): SinkDriver {
  const label = 'the Teams webhook';

  async function webhook(): Promise<string> {
    const url = await requireSecret(ctx, 'webhookUrl', 'Teams');
    if (!isAllowedServiceUrl(url)) throw new SinkError('Teams: the stored webhook URL is not an https:// URL', true);
    return url;
  }

  async function post(body: unknown): Promise<number> {
    const res = await sinkRequest(ctx, {
      label,
      method: 'POST',
      url: await webhook(),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: ctx.settings.timeoutMs,
      errorText: (r) => {
        try {
          const e = (JSON.parse(r.text) as { error?: { code?: string; message?: string } }).error;
          return e ? [e.code, e.message].filter(Boolean).join(': ') : null;
        } catch {
          return null;
        }
      },
    });
    return res.status;
  }

  const render = (f: FindingMessage, rehit: boolean): unknown =>
    ctx.settings.format === 'messagecard' ? messageCard(f, rehit) : adaptiveCardMessage(f, rehit);

  return {
    async deliver(req: DeliveryRequest): Promise<DeliveryResult> {
      if (req.action !== 'create' && req.action !== 'update') return { ticket: null, detail: 'nothing to post' };
      const rehit = req.action === 'update';
      const status = await post(render(req.finding, rehit));
      return { ticket: null, detail: `${rehit ? 'posted the re-hit' : 'posted'} (${status === 202 ? 'accepted' : status})` };
    },
    async test({ send }) {
      await webhook();
      if (!send) return 'webhook URL is set (use --send to post a test card)';
      const body = ctx.settings.format === 'messagecard'
        ? { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'Quarry test', text: 'Quarry can post findings to this channel.' }
        : {
          type: 'message',
          attachments: [{
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Quarry can post findings to this channel.', wrap: true }] },
          }],
        };
      const status = await post(body);
      return `posted a test card (${status})`;
    },
  };
}

export const teamsSink: SinkKindSpec<TeamsSettings> = {
  kind: 'teams',
  label: 'Microsoft Teams',
  settingsSchema: teamsSettingsSchema,
  secretFields: ['webhookUrl'],
  requiredSecrets: () => ['webhookUrl'],
  ticketing: false,
  open: openTeams,
};
