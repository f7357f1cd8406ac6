import { basicCredentials, isJsonRequest, startLoopbackFake, type FakeReply, type FakeRequest, type LoopbackFake } from '../../findings/fake-http.js';

/**
 * A fake Jira Cloud site speaking REST v3:
 *   POST /rest/api/3/issue                      -> 201 {id, key, self}
 *   POST|GET /rest/api/3/search/jql             -> 200 {issues: [...], isLast}
 *   POST /rest/api/3/issue/{idOrKey}/comment    -> 201 {id, body, created}
 *   GET  /rest/api/3/issue/{idOrKey}/transitions -> 200 {transitions: [{id, name, to: {name, statusCategory}}]}
 *   POST /rest/api/3/issue/{idOrKey}/transitions -> 204 (400 for one not offered from the status)
 *   GET  /rest/api/3/myself, /rest/api/3/project/{key}
 * with basic auth (email:API token) and errors as {errorMessages, errors}.
 * Descriptions and comments must be Atlassian Document Format; labels may
 * not hold spaces; JQL understands `field = "value"` terms joined by AND.
 */

export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  description: unknown;
  labels: string[];
  issueType: string;
  status: string;
  comments: unknown[];
  /** Ids of the transitions applied, in order. */
  transitions: string[];
}

export interface JiraFake extends LoopbackFake {
  readonly issues: JiraIssue[];
}

/** The site's one workflow, as GET …/transitions describes it: every status reachable from every other. */
const WORKFLOW = [
  { id: '11', name: 'Reopen', to: { id: '10000', name: 'To Do', statusCategory: { id: 2, key: 'new', name: 'To Do' } } },
  { id: '21', name: 'Start work', to: { id: '3', name: 'In Progress', statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' } } },
  { id: '31', name: 'Resolve', to: { id: '10001', name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done' } } },
];

const jiraError = (status: number, messages: string[], errors: Record<string, string> = {}): FakeReply => ({ status, body: { errorMessages: messages, errors } });

/** A minimal ADF check: a doc of block nodes whose text nodes are non-empty strings. */
export function isAdfDoc(value: unknown): boolean {
  const doc = value as { type?: unknown; version?: unknown; content?: unknown } | null;
  if (!doc || doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return false;
  const okNode = (n: unknown): boolean => {
    const node = n as { type?: unknown; text?: unknown; content?: unknown } | null;
    if (!node || typeof node.type !== 'string') return false;
    if (node.type === 'text') return typeof node.text === 'string' && node.text.length > 0;
    return node.content === undefined || (Array.isArray(node.content) && node.content.every(okNode));
  };
  return doc.content.every(okNode);
}

/** `a = "x" AND b = y`; ORDER BY is ignored. Unknown syntax throws (Jira answers 400). */
function parseJql(jql: string): Array<[string, string]> {
  const where = jql.split(/\s+ORDER\s+BY\s+/i)[0]!.trim();
  return where.split(/\s+AND\s+/i).map((term) => {
    const m = /^(\w+)\s*=\s*(?:"([^"]*)"|(\S+))$/.exec(term.trim());
    if (!m) throw new Error(`Error in the JQL Query: unexpected "${term}"`);
    return [m[1]!.toLowerCase(), m[2] ?? m[3]!];
  });
}

export async function startJiraFake(opts: { email?: string; apiToken?: string; projects?: string[] } = {}): Promise<JiraFake> {
  const email = opts.email ?? 'hunter@example.com';
  const apiToken = opts.apiToken ?? 'jira-api-token';
  const projects = opts.projects ?? ['SEC'];
  const issues: JiraIssue[] = [];
  let nextId = 10000;
  const counters = new Map<string, number>();

  const find = (idOrKey: string): JiraIssue | undefined => issues.find((i) => i.id === idOrKey || i.key === idOrKey);
  const noIssue = jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

  function search(req: FakeRequest): FakeReply {
    const body = (req.method === 'POST' ? req.json : { jql: req.query.get('jql'), maxResults: Number(req.query.get('maxResults') ?? 50) }) as
      { jql?: unknown; maxResults?: unknown; startAt?: unknown } | undefined;
    if (!body || typeof body.jql !== 'string') return jiraError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
    if (body.startAt !== undefined) return jiraError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
    let terms: Array<[string, string]>;
    try {
      terms = parseJql(body.jql);
    } catch (err) {
      return jiraError(400, [(err as Error).message]);
    }
    const hits = issues.filter((i) => terms.every(([field, value]) =>
      field === 'labels' ? i.labels.includes(value) : field === 'project' ? i.key.startsWith(`${value}-`) : field === 'key' ? i.key === value : false));
    const max = typeof body.maxResults === 'number' ? body.maxResults : 50;
    return {
      status: 200,
      body: { issues: hits.slice(0, max).map((i) => ({ id: i.id, key: i.key, self: `${fake.url}/rest/api/3/issue/${i.id}`, fields: { summary: i.summary, status: { name: i.status } } })), isLast: true },
    };
  }

  function create(req: FakeRequest): FakeReply {
    const fields = (req.json as { fields?: Record<string, unknown> } | undefined)?.fields;
    if (!fields) return jiraError(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
    const errors: Record<string, string> = {};
    const project = (fields.project as { key?: string } | undefined)?.key;
    if (!project || !projects.includes(project)) errors.project = 'valid project is required';
    const summary = fields.summary;
    if (typeof summary !== 'string' || !summary.trim()) errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';
    if (!(fields.issuetype as { name?: string } | undefined)?.name) errors.issuetype = 'Specify an issue type';
    if (fields.description !== undefined && !isAdfDoc(fields.description)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255)) errors.labels = 'The label must not contain spaces.';
    if (Object.keys(errors).length) return jiraError(400, [], errors);
    const n = (counters.get(project!) ?? 0) + 1;
    counters.set(project!, n);
    const issue: JiraIssue = {
      id: String(nextId++), key: `${project}-${n}`, summary: summary as string, description: fields.description,
      labels: labels as string[], issueType: (fields.issuetype as { name: string }).name, status: 'To Do', comments: [], transitions: [],
    };
    issues.push(issue);
    return { status: 201, body: { id: issue.id, key: issue.key, self: `${fake.url}/rest/api/3/issue/${issue.id}` } };
  }

  const fake = await startLoopbackFake((req) => {
    const creds = basicCredentials(req.headers);
    if (!creds || creds[0] !== email || creds[1] !== apiToken) return jiraError(401, ['Client must be authenticated to access this resource.']);
    if (req.method === 'POST' && !isJsonRequest(req)) return { status: 415, body: 'Unsupported Media Type' };
    const p = req.path;
    if (p === '/rest/api/3/search/jql' && (req.method === 'POST' || req.method === 'GET')) return search(req);
    if (p === '/rest/api/3/issue' && req.method === 'POST') return create(req);
    if (p === '/rest/api/3/myself' && req.method === 'GET') return { status: 200, body: { accountId: '5b10a2844c20165700ede21g', emailAddress: email, displayName: 'Quarry Hunter' } };
    const project = /^\/rest\/api\/3\/project\/([A-Z][A-Z0-9_]*)$/.exec(p);
    if (project && req.method === 'GET') {
      return projects.includes(project[1]!) ? { status: 200, body: { id: '10000', key: project[1], name: 'Security' } } : jiraError(404, [`No project could be found with key '${project[1]}'.`]);
    }
    const comment = /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(p);
    if (comment && req.method === 'POST') {
      const issue = find(decodeURIComponent(comment[1]!));
      if (!issue) return noIssue;
      const body = (req.json as { body?: unknown } | undefined)?.body;
      if (!isAdfDoc(body)) return jiraError(400, [], { comment: 'Comment body is not a valid Atlassian Document.' });
      issue.comments.push(body);
      return { status: 201, body: { id: String(issue.comments.length), body, created: new Date().toISOString() } };
    }
    const transition = /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/.exec(p);
    if (transition && (req.method === 'GET' || req.method === 'POST')) {
      const issue = find(decodeURIComponent(transition[1]!));
      if (!issue) return noIssue;
      const offered = WORKFLOW.filter((t) => t.to.name !== issue.status);
      if (req.method === 'GET') {
        return { status: 200, body: { expand: 'transitions', transitions: offered.map((t) => ({ ...t, hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false })) } };
      }
      const id = (req.json as { transition?: { id?: string } } | undefined)?.transition?.id;
      if (!id) return jiraError(400, ['Missing transition.']);
      const t = offered.find((x) => x.id === id);
      if (!t) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
      issue.status = t.to.name;
      issue.transitions.push(id);
      return { status: 204 };
    }
    return jiraError(404, ['Not Found']);
  });

  return Object.assign(fake, { issues });
}
