/**
 * A STIX 2.1 checker for what Quarry emits: bundle and object envelopes,
 * identifier and timestamp formats, the indicator's required properties, and
 * the pattern parsed against the patterning grammar (the comparison subset
 * with the object paths Quarry uses). Returns every problem found.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TYPE = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const TIMESTAMP_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INDICATOR_TYPES = ['anomalous-activity', 'anonymization', 'benign', 'compromised', 'malicious-activity', 'attribution', 'unknown'];

export function isStixId(id: unknown, type?: string): boolean {
  if (typeof id !== 'string') return false;
  const at = id.indexOf('--');
  if (at < 0) return false;
  const t = id.slice(0, at);
  return TYPE.test(t) && (type === undefined || t === type) && UUID.test(id.slice(at + 2));
}

const validTime = (s: unknown, ms = false): boolean =>
  typeof s === 'string' && (ms ? TIMESTAMP_MS : TIMESTAMP).test(s) && !Number.isNaN(Date.parse(s));

/** What the pattern compares, for the tests to check against the indicator's value. */
export interface ParsedComparison {
  objectType: string;
  path: string[];
  operator: string;
  value: string | number | boolean;
}

/** Parses `[path op literal (AND|OR path op literal)*]` observation expressions joined by AND/OR. */
export function parsePattern(pattern: string): ParsedComparison[] {
  let i = 0;
  const out: ParsedComparison[] = [];
  const ws = () => {
    while (i < pattern.length && /\s/.test(pattern[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`pattern ${JSON.stringify(pattern)}: ${what} at ${i}`);
  };
  const identifier = (): string => {
    const m = /^[a-zA-Z_][a-zA-Z0-9_-]*/.exec(pattern.slice(i));
    if (!m) fail('expected an identifier');
    i += m![0].length;
    return m![0];
  };
  const stringLiteral = (): string => {
    if (pattern[i] !== "'") fail('expected a string literal');
    i++;
    let s = '';
    for (;;) {
      const c = pattern[i];
      if (c === undefined) fail('unterminated string');
      if (c === "'") {
        i++;
        return s;
      }
      if (c === '\\') {
        const n = pattern[i + 1];
        if (n !== "'" && n !== '\\') fail('only \\\' and \\\\ may be escaped');
        s += n;
        i += 2;
        continue;
      }
      s += c;
      i++;
    }
  };
  const keyword = (): string | null => {
    ws();
    const m = /^(AND|OR)\b/i.exec(pattern.slice(i));
    if (!m) return null;
    i += m[0].length;
    return m[0].toUpperCase();
  };
  const comparison = () => {
    ws();
    const objectType = identifier();
    if (pattern[i] !== ':') fail("expected ':'");
    i++;
    const path = [identifier()];
    while (pattern[i] === '.') {
      i++;
      path.push(pattern[i] === "'" ? stringLiteral() : identifier());
    }
    ws();
    const op = /^(=|==|!=|<>|<=|>=|<|>)/.exec(pattern.slice(i));
    if (!op) fail('expected a comparison operator');
    i += op![0].length;
    ws();
    let value: string | number | boolean;
    if (pattern[i] === "'") value = stringLiteral();
    else {
      const lit = /^([+-]?\d+(\.\d+)?|true|false)/i.exec(pattern.slice(i));
      if (!lit) fail('expected a literal');
      i += lit![0].length;
      value = /^(true|false)$/i.test(lit![0]) ? lit![0].toLowerCase() === 'true' : Number(lit![0]);
    }
    out.push({ objectType, path, operator: op![0], value });
  };
  const observation = () => {
    ws();
    if (pattern[i] !== '[') fail("expected '['");
    i++;
    comparison();
    while (keyword()) comparison();
    ws();
    if (pattern[i] !== ']') fail("expected ']'");
    i++;
  };
  observation();
  while (keyword()) observation();
  ws();
  if (i !== pattern.length) fail('unexpected text after the pattern');
  return out;
}

const HASH = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64 } as Record<string, number>;

/** Checks a comparison's object path and value are what STIX 2.1 defines for the cyber-observable it names. */
function checkObservable(c: ParsedComparison): string | null {
  const v = String(c.value);
  const key = `${c.objectType}:${c.path.join('.')}`;
  switch (c.objectType) {
    case 'ipv4-addr':
      return key === 'ipv4-addr:value' && /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/.test(v) ? null : `bad ipv4-addr comparison ${key} ${v}`;
    case 'ipv6-addr':
      return key === 'ipv6-addr:value' && /^[0-9a-f:.]+(\/\d{1,3})?$/i.test(v) ? null : `bad ipv6-addr comparison ${key}`;
    case 'domain-name':
      return key === 'domain-name:value' && /^[a-z0-9.-]+$/i.test(v) ? null : `bad domain-name comparison ${key} ${v}`;
    case 'url':
      return key === 'url:value' && /^[a-z][a-z0-9+.-]*:/i.test(v) ? null : `bad url comparison ${key}`;
    case 'email-addr':
      return key === 'email-addr:value' && v.includes('@') ? null : `bad email-addr comparison ${key}`;
    case 'file': {
      const algo = c.path[1];
      if (c.path.length !== 2 || c.path[0] !== 'hashes' || algo === undefined || !(algo in HASH)) return `bad file comparison ${key}`;
      return new RegExp(`^[0-9a-f]{${HASH[algo]}}$`, 'i').test(v) ? null : `bad ${algo} value ${v}`;
    }
    default:
      return `unexpected object type ${c.objectType}`;
  }
}

export function validateStixBundle(bundle: unknown): string[] {
  const problems: string[] = [];
  const b = bundle as Record<string, unknown>;
  if (b.type !== 'bundle') problems.push('bundle.type must be "bundle"');
  if (!isStixId(b.id, 'bundle')) problems.push(`bundle.id ${String(b.id)} is not bundle--<uuid>`);
  if ('spec_version' in b) problems.push('a 2.1 bundle has no spec_version');
  if (!Array.isArray(b.objects) || b.objects.length === 0) return [...problems, 'bundle.objects must be a non-empty list'];
  const objects = b.objects as Array<Record<string, unknown>>;
  const ids = new Set<string>();
  for (const o of objects) {
    const where = `${String(o.type)} ${String(o.id)}`;
    if (typeof o.type !== 'string' || !TYPE.test(o.type)) problems.push(`${where}: bad type`);
    if (!isStixId(o.id, o.type as string)) problems.push(`${where}: id is not ${String(o.type)}--<uuid>`);
    if (ids.has(o.id as string)) problems.push(`${where}: duplicate id`);
    ids.add(o.id as string);
    if (o.spec_version !== '2.1') problems.push(`${where}: spec_version must be "2.1"`);
    if (!validTime(o.created, true)) problems.push(`${where}: created ${String(o.created)} is not a millisecond-precision UTC timestamp`);
    if (!validTime(o.modified, true)) problems.push(`${where}: modified ${String(o.modified)} is not a millisecond-precision UTC timestamp`);
    if (validTime(o.created) && validTime(o.modified) && Date.parse(o.modified as string) < Date.parse(o.created as string)) problems.push(`${where}: modified before created`);
    if (o.created_by_ref !== undefined && !isStixId(o.created_by_ref, 'identity')) problems.push(`${where}: created_by_ref is not an identity id`);
    if (o.type === 'identity' && (typeof o.name !== 'string' || !o.name)) problems.push(`${where}: identity needs a name`);
    if (o.type === 'indicator') problems.push(...validateIndicator(o, where));
  }
  for (const o of objects) {
    if (o.created_by_ref !== undefined && !ids.has(o.created_by_ref as string)) problems.push(`${String(o.id)}: created_by_ref points outside the bundle`);
  }
  return problems;
}

function validateIndicator(o: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  if (typeof o.pattern !== 'string') problems.push(`${where}: pattern is required`);
  if (o.pattern_type !== 'stix') problems.push(`${where}: pattern_type must be "stix"`);
  if (!validTime(o.valid_from)) problems.push(`${where}: valid_from is required and must be a UTC timestamp`);
  if (o.valid_until !== undefined && !(validTime(o.valid_until) && Date.parse(o.valid_until as string) > Date.parse(o.valid_from as string))) problems.push(`${where}: valid_until must follow valid_from`);
  if (o.indicator_types !== undefined && !(Array.isArray(o.indicator_types) && o.indicator_types.every((t) => INDICATOR_TYPES.includes(t as string)))) {
    problems.push(`${where}: indicator_types outside indicator-type-ov: ${JSON.stringify(o.indicator_types)}`);
  }
  if (typeof o.pattern === 'string') {
    try {
      for (const c of parsePattern(o.pattern)) {
        const p = checkObservable(c);
        if (p) problems.push(`${where}: ${p}`);
      }
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  for (const k of (o.kill_chain_phases as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof k.kill_chain_name !== 'string' || !/^[a-z0-9-]+$/.test(k.kill_chain_name)) problems.push(`${where}: kill_chain_name must be lowercase and hyphenated`);
    if (typeof k.phase_name !== 'string' || !/^[a-z0-9-]+$/.test(k.phase_name)) problems.push(`${where}: phase_name must be lowercase and hyphenated`);
  }
  for (const r of (o.external_references as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof r.source_name !== 'string' || !r.source_name) problems.push(`${where}: external reference without source_name`);
    if (r.description === undefined && r.url === undefined && r.external_id === undefined) problems.push(`${where}: external reference needs description, url or external_id`);
    if (r.source_name === 'mitre-attack' && !/^(T\d{4}(\.\d{3})?|TA\d{4})$/.test(String(r.external_id))) problems.push(`${where}: bad ATT&CK id ${String(r.external_id)}`);
  }
  return problems;
}
