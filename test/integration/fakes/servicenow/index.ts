import { randomBytes } from 'node:crypto';
import { basicCredentials, isJsonRequest, startLoopbackFake, type FakeReply, type FakeRequest, type LoopbackFake } from '../../findings/fake-http.js';

/**
 * A fake ServiceNow instance speaking the Table API for incidents:
 *   GET   /api/now/table/incident?sysparm_query=a=b^c=d&sysparm_fields=..&sysparm_limit=n  -> 200 {"result": [...]}
 *   POST  /api/now/table/incident            -> 201 {"result": {sys_id, number, ...}} + Location
 *   PATCH /api/now/table/incident/{sys_id}   -> 200 {"result": {...}}
 * with basic auth or an OAuth bearer token, errors as
 * {"error": {"message", "detail"}, "status": "failure"}, work_notes kept as
 * a journal, and the base system's data policy: resolving (state 6) needs
 * close_code and close_notes.
 */

export interface Incident {
  sys_id: string;
  number: string;
  short_description: string;
  description: string;
  urgency: string;
  impact: string;
  state: string;
  correlation_id: string;
  close_code: string;
  close_notes: string;
  [field: string]: string;
}

export interface ServiceNowFake extends LoopbackFake {
  readonly incidents: Incident[];
  /** work_notes entries per sys_id, oldest first. */
  workNotes(sysId: string): string[];
}

const snError = (status: number, message: string, detail: string): FakeReply => ({ status, body: { error: { message, detail }, status: 'failure' } });
const LEVELS = new Set(['1', '2', '3']);

export async function startServiceNowFake(opts: { user?: string; password?: string; token?: string } = {}): Promise<ServiceNowFake> {
  const user = opts.user ?? 'svc.quarry';
  const password = opts.password ?? 'sn-password';
  const token = opts.token ?? 'sn-oauth-token';
  const incidents: Incident[] = [];
  const journal = new Map<string, string[]>();
  let next = 10001;

  const authorized = (req: FakeRequest): boolean => {
    if (req.headers.authorization === `Bearer ${token}`) return true;
    const creds = basicCredentials(req.headers);
    return creds !== null && creds[0] === user && creds[1] === password;
  };

  const project = (i: Incident, fields: string | null): Record<string, string> =>
    fields ? Object.fromEntries(fields.split(',').map((f) => [f, i[f] ?? ''])) : { ...i };

  /** Encoded queries: "field=value" terms joined by ^, ORDERBY terms ignored. */
  const matches = (i: Incident, query: string | null): boolean =>
    !query || query.split('^').every((term) => {
      if (term.startsWith('ORDERBY') || term === '') return true;
      const eq = term.indexOf('=');
      return eq > 0 && (i[term.slice(0, eq)] ?? '') === term.slice(eq + 1);
    });

  /** Field values are strings in the Table API; numbers are accepted and stored as text. */
  function validate(fields: Record<string, unknown>): string | null {
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v !== 'string' && typeof v !== 'number') return `Field ${k} must be a string`;
    }
    for (const k of ['urgency', 'impact']) if (fields[k] !== undefined && !LEVELS.has(String(fields[k]))) return `Invalid ${k}: ${String(fields[k])}`;
    if (fields.correlation_id !== undefined && String(fields.correlation_id).length > 100) return 'correlation_id is longer than 100 characters';
    return null;
  }

  function apply(i: Incident, fields: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'work_notes') journal.set(i.sys_id, [...(journal.get(i.sys_id) ?? []), String(v)]);
      else if (k !== 'sys_id' && k !== 'number') i[k] = String(v);
    }
  }

  const fake = await startLoopbackFake((req) => {
    if (!authorized(req)) return snError(401, 'User Not Authenticated', 'Required to provide Auth information');
    const m = /^\/api\/now\/(?:v\d\/)?table\/incident(?:\/([0-9a-f]{32}))?$/.exec(req.path);
    if (!m) return snError(400, 'Requested URI does not represent any resource', `${req.path} is not a table API path`);
    const sysId = m[1];
    if (req.method === 'GET' && !sysId) {
      const limit = Number(req.query.get('sysparm_limit') ?? '10000');
      const found = incidents.filter((i) => matches(i, req.query.get('sysparm_query'))).slice(0, limit);
      return { status: 200, body: { result: found.map((i) => project(i, req.query.get('sysparm_fields'))) } };
    }
    if ((req.method === 'POST' && !sysId) || (req.method === 'PATCH' && sysId)) {
      if (!isJsonRequest(req) || typeof req.json !== 'object' || req.json === null || Array.isArray(req.json)) {
        return snError(400, 'Exception while reading request', 'The payload is not valid JSON');
      }
      const fields = req.json as Record<string, unknown>;
      const problem = validate(fields);
      if (problem) return snError(400, 'Invalid field value', problem);
      if (req.method === 'POST') {
        if (!fields.short_description) return snError(400, 'Mandatory field missing', 'short_description is mandatory');
        const incident: Incident = {
          sys_id: randomBytes(16).toString('hex'), number: `INC00${next++}`, short_description: '', description: '',
          urgency: '3', impact: '3', state: '1', correlation_id: '', close_code: '', close_notes: '',
        };
        apply(incident, fields);
        incidents.push(incident);
        return { status: 201, body: { result: { ...incident } }, headers: { location: `${fake.url}/api/now/table/incident/${incident.sys_id}` } };
      }
      const incident = incidents.find((i) => i.sys_id === sysId);
      if (!incident) return snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
      if (String(fields.state) === '6' && !((fields.close_code ?? incident.close_code) && (fields.close_notes ?? incident.close_notes))) {
        return snError(403, 'Operation Failed', 'Data Policy Exception: The following fields are mandatory: Resolution code, Resolution notes');
      }
      apply(incident, fields);
      return { status: 200, body: { result: { ...incident } } };
    }
    return snError(405, 'Method not Supported', `${req.method} is not supported here`);
  });

  return Object.assign(fake, {
    incidents,
    workNotes: (sysId: string) => journal.get(sysId) ?? [],
  });
}
