import { describe, expect, it } from 'vitest';
import { buildFindingMessage, unknownPlaceholders } from '../../../engine/findings/templates.js';
import type { Finding } from '../../../engine/findings/types.js';
import { textToAdf } from '../../../connectors/sinks/jira/adf.js';
import { slackBlocks } from '../../../connectors/sinks/slack/slack.js';
import { adaptiveCardMessage } from '../../../connectors/sinks/teams/teams.js';
import { blocksValid } from '../../integration/fakes/slack/index.js';
import { adaptiveCardValid } from '../../integration/fakes/teams/index.js';
import { isAdfDoc } from '../../integration/fakes/jira/index.js';

const finding: Finding = {
  id: 42, dedupKey: '0123456789abcdef0123456789abcdef', correlationId: 'quarry-0123456789abcdef0123456789abcdef-0a1b2c3d',
  huntId: 'h', huntName: 'Password spray', title: 't', severity: 'high', huntSeverity: 'medium', verdict: 'malicious', status: 'new',
  entities: [{ column: 'IPAddress', value: '203.0.113.7', entityType: 'IP', identifier: 'Address' }],
  tactics: ['CredentialAccess'], techniques: ['T1110.003'], tags: [], hitCount: 3, rowCount: 40, runIds: [1, 2, 3],
  firstSeen: '2026-03-10T09:00:00.000Z', lastSeen: '2026-03-10T11:00:00.000Z', createdAt: '', updatedAt: '', closedAt: null, closeReason: null,
};

describe('finding messages', () => {
  it('fill every placeholder of a sink template', () => {
    const m = buildFindingMessage(finding, {
      titleTemplate: '{{severity}} {{hunt}} on {{entities}} x{{count}}',
      descriptionTemplate: '{{firstSeen}}..{{lastSeen}} rows={{rows}} ti={{verdicts}} {{tactics}}/{{techniques}} {{reportLink}} {{ unknownOne }}',
      reportLinkTemplate: 'https://wiki.example/findings/{{findingId}}',
    }, null);
    expect(m.title).toBe('high Password spray on IPAddress=203.0.113.7 x3');
    expect(m.description).toBe('2026-03-10T09:00:00.000Z..2026-03-10T11:00:00.000Z rows=40 ti=malicious CredentialAccess/T1110.003 https://wiki.example/findings/42 {{ unknownOne }}');
    expect(unknownPlaceholders('{{hunt}} {{count}} {{Hunt}} {{ nope }}')).toEqual(['Hunt', 'nope']);
  });

  it('default to a title naming severity, hunt and entities', () => {
    expect(buildFindingMessage(finding, {}, null).title).toBe('[Quarry] high: Password spray (IPAddress=203.0.113.7)');
    expect(buildFindingMessage({ ...finding, entities: [] }, {}, null).title).toBe('[Quarry] high: Password spray');
  });

  it('become ADF for Jira: paragraphs, bold labels, links, never an empty text node', () => {
    const doc = textToAdf('Hunt: spray\n\nReport: https://wiki.example/f/1 (open)\nplain line');
    expect(isAdfDoc(doc)).toBe(true);
    expect(doc.content).toHaveLength(3);
    expect(doc.content[0]!.content[0]).toEqual({ type: 'text', text: 'Hunt:', marks: [{ type: 'strong' }] });
    expect(doc.content[1]!.content).toContainEqual({ type: 'text', text: 'https://wiki.example/f/1', marks: [{ type: 'link', attrs: { href: 'https://wiki.example/f/1' } }] });
    expect(isAdfDoc(textToAdf(''))).toBe(true);
  });

  it('stay within Slack Block Kit limits and make a valid Adaptive Card', () => {
    const long = buildFindingMessage({ ...finding, huntName: 'x'.repeat(400) }, { descriptionTemplate: 'd'.repeat(5000) }, null);
    const blocks = slackBlocks(long, true) as Array<{ type: string; text?: { text: string } }>;
    expect(blocksValid(blocks)).toBe(true);
    expect(blocks[0]!.text!.text.length).toBe(150);
    expect(blocks[0]!.text!.text.startsWith('Seen again (3x): ')).toBe(true);
    expect(blocksValid(slackBlocks(buildFindingMessage(finding, { descriptionTemplate: 'a <b> & c' }, null), false))).toBe(true);
    const card = adaptiveCardMessage(buildFindingMessage(finding, {}, null), false) as { attachments: Array<{ content: unknown }> };
    expect(adaptiveCardValid(card.attachments[0]!.content)).toBe(true);
  });
});
