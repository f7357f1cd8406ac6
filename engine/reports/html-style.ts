/**
 * The report's stylesheet, inlined into the page (its hash goes in the CSP).
 * System fonts only: a report must render the same offline and never fetch.
 */
export const reportCss = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc; --accent: #2563eb; --head: #0b1220; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #f1f5f9; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); text-decoration: none; overflow-wrap: anywhere; }
a:hover { text-decoration: underline; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 32px; }
.masthead { background: linear-gradient(135deg, #0b1220 0%, #13213d 100%); color: #e2e8f0; padding: 22px 0 28px; border-bottom: 4px solid var(--accent); }
.masthead .top { display: flex; justify-content: space-between; align-items: baseline; gap: 16px; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #94a3b8; }
.masthead .brand { font-weight: 700; color: #f8fafc; letter-spacing: .18em; }
.masthead .brand span { color: #60a5fa; font-weight: 600; letter-spacing: .08em; margin-left: 10px; }
.masthead h1 { margin: 18px 0 4px; font-size: 28px; line-height: 1.2; color: #fff; font-weight: 650; overflow-wrap: anywhere; }
.masthead .subtitle { margin: 0; color: #cbd5e1; font-size: 14px; }
.masthead .badges { margin-top: 12px; display: flex; gap: 8px; flex-wrap: wrap; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 11.5px; font-weight: 650; letter-spacing: .04em; text-transform: uppercase; border: 1px solid transparent; }
.masthead .badge { background: rgba(148,163,184,.15); color: #e2e8f0; border-color: rgba(148,163,184,.35); }
.masthead .sev-high { background: #dc2626; color: #fff; border-color: #dc2626; }
.masthead .sev-medium { background: #d97706; color: #fff; border-color: #d97706; }
.masthead .sev-low { background: #2563eb; color: #fff; border-color: #2563eb; }
main.wrap { padding-top: 24px; padding-bottom: 8px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 20px; }
.fact { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.fact .value { font-size: 24px; font-weight: 700; line-height: 1.2; }
.fact .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
.fact.alert .value { color: #b91c1c; }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin-bottom: 18px; }
h2 { margin: 0 0 12px; font-size: 17px; font-weight: 700; display: flex; align-items: center; gap: 10px; }
h2 .num { display: inline-flex; width: 24px; height: 24px; border-radius: 6px; background: var(--head); color: #fff; font-size: 12px; align-items: center; justify-content: center; }
h3 { margin: 20px 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: #334155; }
p { margin: 0 0 8px; }
.summary p { font-size: 15px; }
.muted { color: var(--muted); }
.description { overflow-wrap: anywhere; margin-bottom: 12px; }
dl.meta { display: grid; grid-template-columns: 170px 1fr; gap: 6px 16px; margin: 0 0 8px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
pre.query { background: #0f172a; color: #e2e8f0; padding: 14px 16px; border-radius: 8px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 650; color: #334155; background: var(--soft); border-bottom: 2px solid var(--line); padding: 7px 10px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
td { border-bottom: 1px solid var(--line); padding: 7px 10px; vertical-align: top; overflow-wrap: anywhere; }
tr:last-child td { border-bottom: none; }
td.nowrap { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table.rows { font-size: 11.5px; }
table.rows td { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; max-width: 320px; }
.entities { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; }
.entity { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.entity h4 { margin: 0 0 6px; font-size: 13px; }
.entity h4 .type { color: var(--muted); font-weight: 500; margin-left: 6px; }
.entity td { padding: 4px 6px; }
svg.share { vertical-align: middle; }
.v { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 650; text-transform: capitalize; white-space: nowrap; }
.v-malicious { background: #fee2e2; color: #991b1b; }
.v-suspicious { background: #fef3c7; color: #92400e; }
.v-harmless { background: #dcfce7; color: #166534; }
.v-unknown { background: #f1f5f9; color: #475569; }
.providers { list-style: none; margin: 0; padding: 0; }
.providers li { margin: 0 0 2px; }
.tags { display: flex; flex-wrap: wrap; gap: 6px; }
.tag { background: #eff6ff; color: #1e40af; border-radius: 6px; padding: 1px 8px; font-size: 12px; }
ul.attack { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 6px 18px; }
ul.attack li { padding: 6px 0; border-bottom: 1px dashed var(--line); }
ul.attack .id { font-weight: 700; margin-right: 8px; }
figure.timeline { margin: 0; }
figure.timeline figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
.run-title { border-left: 4px solid var(--accent); padding-left: 10px; }
.status-failed, .status-cancelled, .status-interrupted { color: #b91c1c; font-weight: 650; }
.status-succeeded { color: #166534; font-weight: 650; }
footer { color: var(--muted); font-size: 12px; padding: 8px 0 32px; }
footer .foot { border-top: 1px solid #cbd5e1; padding-top: 12px; display: flex; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
@page { size: A4; margin: 12mm 10mm 14mm; }
@media print {
  body { background: #fff; font-size: 11px; }
  .wrap { max-width: none; padding: 0 4mm; }
  .masthead { padding: 14px 0 16px; }
  section.card { border: none; border-radius: 0; padding: 0; margin: 0 0 16px; }
  .facts { grid-template-columns: repeat(auto-fit, minmax(100px, 1fr)); gap: 8px; }
  .fact { padding: 8px 10px; }
  .fact .value { font-size: 18px; }
  .summary p { font-size: 12px; }
  footer { font-size: 9.5px; }
  code, pre, .mono { font-size: 9.5px; }
  .scroll { overflow: visible; border: none; }
  table { font-size: 10px; }
  table.rows { font-size: 8.5px; }
  tr, .entity, figure, .fact { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  pre.query { white-space: pre-wrap; }
}
`;
