import { QuarryError } from '../errors.js';

/** Commander collector for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Settings from `--settings-json '{…}'` and repeated `-s name=value`:
 * integers, true/false and JSON lists/objects are typed, everything else is
 * text (use --settings-json for a string that looks like a number).
 */
export function parseSettingArgs(pairs: string[], json: string | undefined): Record<string, unknown> {
  let settings: Record<string, unknown> = {};
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new QuarryError('invalid_input', `--settings-json is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new QuarryError('invalid_input', '--settings-json must be a JSON object');
    settings = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    // Not echoed: an argument without "=" might be a secret typed in the wrong place.
    if (eq <= 0) throw new QuarryError('invalid_input', '--setting takes name=value (one argument had no name before "=")');
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    if (/^-?\d+$/.test(raw)) value = Number(raw);
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (/^[[{]/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    settings[pair.slice(0, eq)] = value;
  }
  return settings;
}

/** `--param name=value` pairs, values kept as text: the hunt's parameter types convert them. */
export function parseParamArgs(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new QuarryError('invalid_input', `--param takes name=value, got "${pair}"`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}
