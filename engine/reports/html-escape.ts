/**
 * HTML built only through the `html` tag: every interpolated value is
 * escaped unless it is already SafeHtml, so attacker-controlled result data
 * (cells, indicator values, hunt text) can never become markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export const escapeHtml = (s: string): string => s.replace(/[&<>"'`]/g, (c) => entities[c]!);

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false || v === true) return '';
  return escapeHtml(String(v));
}

/** Use in double-quoted attributes and text alike: quotes are escaped too. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Trusted markup made by this module (the CSS, the SVG built from numbers); never for data. */
export const trusted = (s: string): SafeHtml => new SafeHtml(s);
