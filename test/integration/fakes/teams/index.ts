import { isJsonRequest, startLoopbackFake, type FakeReply, type LoopbackFake } from '../../findings/fake-http.js';

/**
 * A fake Microsoft Teams channel with both kinds of webhook:
 * - a Workflows (Power Automate) "when a webhook request is received" URL,
 *   /workflows/<id>/triggers/manual/paths/invoke?api-version=…&sig=<secret>,
 *   taking {"type":"message","attachments":[{"contentType":
 *   "application/vnd.microsoft.card.adaptive","content":{AdaptiveCard}}]} and
 *   answering 202 Accepted (errors as {"error":{"code","message"}});
 * - a legacy Office 365 connector URL, /webhookb2/<ids>/IncomingWebhook/<secret>,
 *   taking a MessageCard and answering 200 "1" (errors as plain text).
 */

export interface TeamsPost {
  via: 'workflow' | 'connector';
  /** The Adaptive Card (workflow) or the MessageCard (connector). */
  card: Record<string, unknown>;
}

export interface TeamsFake extends LoopbackFake {
  readonly workflowUrl: string;
  readonly connectorUrl: string;
  readonly posts: TeamsPost[];
}

const flowError = (status: number, code: string, message: string): FakeReply => ({ status, body: { error: { code, message } } });

export function adaptiveCardValid(card: unknown): boolean {
  const c = card as { type?: unknown; version?: unknown; body?: unknown } | null;
  if (!c || c.type !== 'AdaptiveCard' || typeof c.version !== 'string' || !Array.isArray(c.body)) return false;
  return c.body.every((el: Record<string, unknown>) =>
    (el?.type === 'TextBlock' && typeof el.text === 'string') ||
    (el?.type === 'FactSet' && Array.isArray(el.facts) && el.facts.every((f: Record<string, unknown>) => typeof f?.title === 'string' && typeof f?.value === 'string')));
}

export async function startTeamsFake(): Promise<TeamsFake> {
  const workflowPath = '/workflows/4f1e0c2d9a7b4c3e8d6f5a4b3c2d1e0f/triggers/manual/paths/invoke';
  const sig = 'T3amsW0rkfl0wS1gnatur3';
  const connectorPath = '/webhookb2/1111-2222@3333/IncomingWebhook/c0nn3ct0rS3cr3t/4444';
  const posts: TeamsPost[] = [];

  const fake = await startLoopbackFake((req) => {
    if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed' };
    if (req.path === workflowPath) {
      if (req.query.get('sig') !== sig) return flowError(401, 'DirectApiAuthorizationRequired', 'The request must be authenticated only by Shared Access scheme.');
      if (!isJsonRequest(req)) return flowError(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
      const msg = req.json as { type?: unknown; attachments?: unknown } | undefined;
      const attachments = Array.isArray(msg?.attachments) ? (msg!.attachments as Array<Record<string, unknown>>) : [];
      const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
      if (msg?.type !== 'message' || !card || !adaptiveCardValid(card.content)) {
        return flowError(400, 'InvalidRequestContent', 'The message must have an Adaptive Card attachment.');
      }
      posts.push({ via: 'workflow', card: card.content as Record<string, unknown> });
      return { status: 202 };
    }
    if (req.path === connectorPath) {
      const card = req.json as Record<string, unknown> | undefined;
      if (!card || card['@type'] !== 'MessageCard') return { status: 400, body: 'Bad payload received by generic incoming webhook.' };
      if (!card.summary && !card.text) return { status: 400, body: 'Summary or Text is required.' };
      posts.push({ via: 'connector', card });
      return { status: 200, body: '1' };
    }
    return flowError(404, 'TriggerNotFound', 'The workflow trigger could not be found.');
  });

  return Object.assign(fake, {
    workflowUrl: `${fake.url}${workflowPath}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`,
    connectorUrl: `${fake.url}${connectorPath}`,
    posts,
  });
}
