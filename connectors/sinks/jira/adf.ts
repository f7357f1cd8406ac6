/**
 * Atlassian Document Format, the rich-text JSON Jira Cloud REST v3 takes for
 * descriptions and comments (plain strings are rejected there). Only what a
 * finding needs: paragraphs of text, bold labels, links.
 */

export interface AdfText {
  type: 'text';
  text: string;
  marks?: Array<{ type: 'strong' } | { type: 'link'; attrs: { href: string } }>;
}

export interface AdfParagraph {
  type: 'paragraph';
  content: AdfText[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfParagraph[];
}

const URL_RE = /\bhttps?:\/\/[^\s<>"]+/g;

/** One line of text, with http(s) URLs made links; "Label: value" lines get a bold label. */
function lineContent(line: string): AdfText[] {
  const out: AdfText[] = [];
  const label = /^([A-Z][A-Za-z &/-]{0,30}):\s/.exec(line);
  let rest = line;
  if (label) {
    out.push({ type: 'text', text: `${label[1]}:`, marks: [{ type: 'strong' }] });
    rest = line.slice(label[1]!.length + 1);
  }
  let last = 0;
  for (const m of rest.matchAll(URL_RE)) {
    if (m.index > last) out.push({ type: 'text', text: rest.slice(last, m.index) });
    out.push({ type: 'text', text: m[0], marks: [{ type: 'link', attrs: { href: m[0] } }] });
    last = m.index + m[0].length;
  }
  if (last < rest.length) out.push({ type: 'text', text: rest.slice(last) });
  return out;
}

/** Plain text to an ADF document: one paragraph per non-empty line (ADF text nodes may not be empty). */
export function textToAdf(text: string): AdfDoc {
  const content = text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l): AdfParagraph => ({ type: 'paragraph', content: lineContent(l) }));
  return { type: 'doc', version: 1, content: content.length ? content : [{ type: 'paragraph', content: [{ type: 'text', text: '-' }] }] };
}
